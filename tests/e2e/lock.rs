//! The idle lock: after the configured quiet time the desk is hidden, and only the supervisor's
//! (or clerk's) PIN brings it back.

use std::time::{Duration, Instant};

use vikno_e2e::{keys, run};

use super::{UI_TIMEOUT, scan_ready};

#[tokio::test(flavor = "multi_thread")]
async fn the_screen_locks_when_idle_and_only_the_pin_unlocks_it() -> anyhow::Result<()> {
    run("the_screen_locks_when_idle_and_only_the_pin_unlocks_it", async |app| {
        scan_ready(app).await?;
        // Settings: the first PIN enrols the supervisor; the shortest idle time allowed is 30 s.
        app.press(keys::F9).await?;
        app.find("#settings-pin").await?;
        app.type_keys(&format!("2468{}", keys::ENTER)).await?;
        let idle = app.find("#idle-lock").await?;
        idle.clear().await?;
        idle.send_keys("30").await?;
        app.press(keys::CTRL_S).await?;
        app.wait_attr("#settings-message .msg", "data-code", UI_TIMEOUT, |c| c == "saved").await?;
        app.press(keys::F2).await?;
        scan_ready(app).await?;

        // Nobody touches the keyboard: the lock comes after 30 s, not before.
        let quiet = Instant::now();
        let lock = app
            .client
            .wait()
            .at_most(Duration::from_secs(45))
            .every(Duration::from_millis(250))
            .for_element(fantoccini::Locator::Css("#lock-screen"))
            .await?;
        let waited = quiet.elapsed();
        anyhow::ensure!(waited >= Duration::from_secs(25), "locked after only {waited:?}");
        anyhow::ensure!(lock.is_displayed().await?, "the lock screen is not shown");
        app.screenshot("lock").await?;

        // A wrong PIN keeps it locked, with a message; the right one opens the desk again.
        app.find("#unlock-pin").await?;
        app.type_keys(&format!("1111{}", keys::ENTER)).await?;
        let code = app
            .wait_attr("#unlock-message .msg", "data-code", UI_TIMEOUT, |c| !c.is_empty())
            .await?;
        anyhow::ensure!(code == "pin_wrong", "wrong PIN gave {code}");
        anyhow::ensure!(app.find("#lock-screen").await?.is_displayed().await?);
        app.type_keys(&format!("2468{}", keys::ENTER)).await?;
        let deadline = Instant::now() + UI_TIMEOUT;
        while !app.client.find_all(fantoccini::Locator::Css("#lock-screen")).await?.is_empty() {
            anyhow::ensure!(Instant::now() < deadline, "the right PIN did not unlock");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        scan_ready(app).await
    })
    .await
}
