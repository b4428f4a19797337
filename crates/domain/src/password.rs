//! Password hashing with argon2id (PHC string format), and random tokens.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::FieldError;

/// A password that satisfies the platform's rules: 8 to 128 characters, not only spaces, and
/// not easy to guess — zxcvbn (its lists of common passwords, names and words, keyboard
/// patterns, dates and repeats, and the user's own e-mail and name) must estimate more than a
/// million guesses (its score 2 of 4). Eight characters of a common password such as
/// `password` or `12345678` are refused.
pub struct Password(String);

/// The least zxcvbn score accepted.
const LEAST_SCORE: zxcvbn::Score = zxcvbn::Score::Two;

impl Password {
    pub fn parse(field: &str, s: &str) -> Result<Password, FieldError> {
        Password::parse_for(field, s, &[])
    }

    /// As [`Password::parse`], also refusing a password made of the user's own `inputs`
    /// (their e-mail address, name).
    pub fn parse_for(field: &str, s: &str, inputs: &[&str]) -> Result<Password, FieldError> {
        let n = s.chars().count();
        if !(8..=128).contains(&n) {
            return Err(FieldError::new(
                field,
                "weak_password",
                "must be 8 to 128 characters long",
                "长度须为 8 到 128 个字符",
            ));
        }
        // The user's e-mail counts by its parts too (chen, hbut for chen@hbut.example.cn).
        let mut words: Vec<&str> = inputs.to_vec();
        for i in inputs {
            words.extend(
                i.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| w.len() > 2),
            );
        }
        if s.trim().is_empty() || zxcvbn::zxcvbn(s, &words).score() < LEAST_SCORE {
            return Err(FieldError::new(
                field,
                "weak_password",
                "is too easy to guess (a common password, word, name or pattern); use a longer phrase",
                "过于常见或容易猜到（常用密码、单词、姓名或规律），请换一个更长的短语",
            ));
        }
        Ok(Password(s.to_string()))
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

    #[test]
    fn common_and_guessable_passwords_are_refused() {
        for weak in [
            "password",
            "12345678",
            "        ",
            "qwertyuiop",
            "Password1",
            "iloveyou",
            "11111111",
            "abcdefgh",
        ] {
            let e = Password::parse("password", weak).err();
            assert!(
                e.is_some_and(|e| e.code == "weak_password"),
                "{weak:?} was accepted"
            );
        }
        assert!(
            Password::parse_for(
                "password",
                "chen@hbut.example.cn",
                &["chen@hbut.example.cn"]
            )
            .is_err(),
            "the user's own e-mail is guessable"
        );
        for good in [
            "duijie-demo-2026",
            "河北工大2026!",
            "巡检机器人2026",
            "a-good-password",
            "another-password",
            "spare-password",
        ] {
            assert!(
                Password::parse("password", good).is_ok(),
                "{good:?} was refused"
            );
        }
    }
}
