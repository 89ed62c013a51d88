//! The acquirer session: one cached Bearer token, renewed early, obtained by a single login at a
//! time however many calls are waiting for it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::secret::Secret;

/// A session token and the moment it should be replaced.
#[derive(Debug, Clone)]
pub(crate) struct SessionToken {
    /// The Bearer token.
    pub(crate) token: Secret,
    /// When to log in again (expiry minus the refresh margin).
    pub(crate) renew_at: Instant,
}

/// Holds the current session. The mutex is held across the login, so concurrent callers queue
/// behind one login instead of each starting their own.
#[derive(Debug, Default)]
pub(crate) struct SessionCache {
    current: Mutex<Option<SessionToken>>,
}

impl SessionCache {
    /// The cached token if still fresh, else the result of `login` (stored on success).
    pub(crate) async fn get_or_login<F, Fut, E>(&self, login: F) -> Result<Secret, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<SessionToken, E>>,
    {
        let mut current = self.current.lock().await;
        if let Some(session) = current.as_ref()
            && Instant::now() < session.renew_at
        {
            return Ok(session.token.clone());
        }
        let fresh = login().await?;
        let token = fresh.token.clone();
        *current = Some(fresh);
        Ok(token)
    }

    /// Forgets `rejected` (Diia answered 401 to it). A token already replaced by another caller
    /// is left alone, so a burst of 401s causes one login, not one per call.
    pub(crate) async fn invalidate(&self, rejected: &Secret) {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|session| &session.token == rejected) {
            *current = None;
        }
    }
}

/// When a token received now should be renewed: its JWT `exp` if readable, else `lifetime`,
/// minus `margin` (never in the past of "now", so a short-lived token is still used once).
pub(crate) fn renew_at(token: &str, lifetime: Duration, margin: Duration) -> Instant {
    let valid_for = jwt_remaining(token, SystemTime::now()).unwrap_or(lifetime);
    Instant::now() + valid_for.saturating_sub(margin)
}

/// Time left until the JWT's `exp` claim, if the token is a JWT with a numeric `exp`.
fn jwt_remaining(token: &str, now: SystemTime) -> Option<Duration> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?.as_f64()?;
    if !exp.is_finite() || exp < 0.0 {
        return None;
    }
    let expires = UNIX_EPOCH + Duration::from_secs_f64(exp);
    Some(expires.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt_with(claims: &str) -> String {
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!("{}.{}.sig", engine.encode(r#"{"alg":"HS256"}"#), engine.encode(claims))
    }

    #[test]
    fn reads_exp_from_a_jwt() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        assert_eq!(
            jwt_remaining(&jwt_with(r#"{"exp":1600}"#), now),
            Some(Duration::from_secs(600))
        );
        assert_eq!(jwt_remaining(&jwt_with(r#"{"exp":10}"#), now), Some(Duration::ZERO));
        assert_eq!(jwt_remaining(&jwt_with(r#"{"sub":"x"}"#), now), None);
        assert_eq!(jwt_remaining("opaque-token", now), None);
        assert_eq!(jwt_remaining("a.!!!.c", now), None);
    }

    #[tokio::test]
    async fn caches_until_renewal_and_invalidates_only_the_rejected_token() {
        let cache = SessionCache::default();
        let fresh = |name: &str| SessionToken {
            token: Secret::new(name),
            renew_at: Instant::now() + Duration::from_secs(60),
        };
        let first = cache.get_or_login(|| async { Ok::<_, ()>(fresh("a")) }).await.unwrap();
        let again = cache.get_or_login(|| async { Err::<SessionToken, ()>(()) }).await.unwrap();
        assert_eq!(first, again);
        cache.invalidate(&Secret::new("other")).await;
        let still = cache.get_or_login(|| async { Err::<SessionToken, ()>(()) }).await.unwrap();
        assert_eq!(still.expose(), "a");
        cache.invalidate(&Secret::new("a")).await;
        let second = cache.get_or_login(|| async { Ok::<_, ()>(fresh("b")) }).await.unwrap();
        assert_eq!(second.expose(), "b");
    }
}
