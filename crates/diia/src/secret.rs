//! `Secret`: a string that never shows itself in logs, errors or debug output.

use std::fmt;

use base64::Engine as _;
use zeroize::Zeroize;

/// A secret string (acquirer token, Basic credential, session token).
///
/// `Debug` and `Display` print `[redacted]`; the value is only reachable through
/// [`Secret::expose`], so leaking it takes a deliberate call. The memory is wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself; call only where it must go on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string (an unset credential).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The Basic credential `base64("{user}:{password}")`, e.g. Diia's `auth_acquirer_token`
    /// built from `acquirer_<id>` and the acquirer token.
    pub fn basic_from_parts(user: &str, password: &Secret) -> Self {
        let mut joined = format!("{user}:{}", password.expose());
        let encoded = base64::engine::general_purpose::STANDARD.encode(joined.as_bytes());
        joined.zeroize();
        Self(encoded)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let secret = Secret::new("s3cr3t-token");
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(format!("{secret}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&secret)), "Some([redacted])");
        assert_eq!(secret.expose(), "s3cr3t-token");
    }

    #[test]
    fn basic_from_parts_encodes_user_colon_password() {
        let basic = Secret::basic_from_parts("acquirer_1", &Secret::new("tok"));
        assert_eq!(basic.expose(), "YWNxdWlyZXJfMTp0b2s=");
    }
}
