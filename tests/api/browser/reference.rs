//! The API reference at `/docs` is a page people open too: it passes axe
//! as the others do, once Swagger UI has drawn the spec.

use fantoccini::Locator;

use crate::browser::open;
use crate::support::TestApp;

#[tokio::test(flavor = "multi_thread")]
async fn the_api_reference_passes_axe_in_a_real_browser() {
    // The reference is the spec drawn by Swagger UI, read from no database:
    // its twenty seconds are spent once, in the run on SQLite.
    if crate::support::database::is_postgres() {
        return;
    }
    let Some(browser) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let served = app.serve().await;

    browser.goto(&format!("{}/docs/", served.base)).await;
    browser
        .client
        .wait()
        .for_element(Locator::Css(".swagger-ui .opblock-tag"))
        .await
        .expect("Swagger UI draws the spec");

    browser.assert_accessible("the API reference").await;

    // An operation opened, with its parameters, body and answers.
    browser
        .client
        .find(Locator::Css(
            "#operations-auth-login .opblock-summary-control",
        ))
        .await
        .expect("the login operation")
        .click()
        .await
        .expect("it opens");
    browser
        .client
        .wait()
        .for_element(Locator::Css("#operations-auth-login .responses-wrapper"))
        .await
        .expect("its answers are shown");
    browser
        .assert_accessible("the API reference with an operation open")
        .await;
    browser.close().await;
}
