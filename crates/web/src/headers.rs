//! The security headers of every answer: what the browser may load and run, whether the page
//! may be framed, what it tells other sites, and that personal pages are not cached.

use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue};

/// Scripts, styles, fonts and images only from this site (the one script is
/// `/static/app.js`; no inline script, handler or style attribute); images may also be inline
/// `data:` URLs; no plugins; forms post only here; no site may frame the pages.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Add the security headers to an answer. Answers to a signed-in user carry personal data
/// (their drafts, confidential fields, R&D costs) and are never stored by a cache, unless the
/// handler said otherwise (static assets). Behind HTTPS (`secure`), browsers are told to use
/// it for a year.
pub fn secure(h: &mut HeaderMap, signed_in: bool, secure: bool) {
    h.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if signed_in && !h.contains_key(CACHE_CONTROL) {
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if secure {
        h.insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
}
