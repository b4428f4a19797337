//! Password hashing with argon2id (PHC string format), and random tokens.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::FieldError;

/// A password that satisfies the platform's rules (8 to 128 characters).
pub struct Password(String);

impl Password {
    pub fn parse(field: &str, s: &str) -> Result<Password, FieldError> {
        let n = s.chars().count();
        if (8..=128).contains(&n) {
            Ok(Password(s.to_string()))
        } else {
            Err(FieldError::new(
                field,
                "weak_password",
                "must be 8 to 128 characters long",
                "长度须为 8 到 128 个字符",
            ))
        }
    }

    /// Hash with argon2id and a fresh random salt.
    pub fn hash(&self) -> String {
        let salt_bytes = random_bytes::<16>();
        let salt = SaltString::encode_b64(&salt_bytes).expect("16 bytes is a valid salt length");
        Argon2::default()
            .hash_password(self.0.as_bytes(), &salt)
            .expect("argon2 with default parameters cannot fail on a valid salt")
            .to_string()
    }
}

/// Check `password` against a stored PHC hash; a malformed hash never verifies.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// `N` bytes from the operating system's random source.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the operating system's random source is available");
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let p = Password::parse("password", "巡检机器人2026").expect("long enough");
        let h = p.hash();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("巡检机器人2026", &h));
        assert!(!verify("巡检机器人2025", &h));
        assert!(!verify("x", "not a hash"));
        assert_ne!(h, p.hash(), "salts differ");
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(Password::parse("password", "short").is_err());
    }
}
