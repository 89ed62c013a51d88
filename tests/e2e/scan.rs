//! The scan screen: the code field is ready at start, and bad codes are refused locally.

use std::time::Duration;

use super::{UI_TIMEOUT, run};

#[tokio::test(flavor = "multi_thread")]
async fn wrong_check_digit_is_refused_with_a_clear_message() -> anyhow::Result<()> {
    run("wrong_check_digit_is_refused_with_a_clear_message", async |app| {
        // The code field has the focus from the start: typing needs no click.
        app.find("#code").await?;
        app.wait_text("#code-label", UI_TIMEOUT, |t| !t.is_empty()).await?;
        let focused = app.client.active_element().await?;
        anyhow::ensure!(
            focused.attr("id").await?.as_deref() == Some("code"),
            "the code field must have the focus at start"
        );

        // 2858364170864 is a valid share code; its last digit changed to 5 breaks the check digit.
        app.type_keys("2858364170865\u{E007}").await?;
        let text =
            app.wait_text("#message", Duration::from_secs(5), |t| !t.trim().is_empty()).await?;
        anyhow::ensure!(text.contains("контрольна цифра"), "unexpected message: {text}");
        let code = app.find("#message .msg").await?.attr("data-code").await?;
        anyhow::ensure!(code.as_deref() == Some("code_bad_check_digit"), "error code was {code:?}");

        // Nothing reached Diia (the embedded simulator) for the refused code.
        let requests = app.simulator_requests().await?;
        anyhow::ensure!(requests.is_empty(), "a refused code was sent: {requests:?}");
        Ok(())
    })
    .await
}
