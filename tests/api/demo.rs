use axum::http::StatusCode;
use serde_json::Value;

use crate::support::TestApp;

#[tokio::test]
async fn the_demo_data_tells_the_kss_story_and_loads_only_once() {
    let app = TestApp::spawn().await;
    let now = chrono::Utc::now();

    let first = convene::demo::seed(app.db(), now).await.ok().flatten();
    let second = convene::demo::seed(app.db(), now).await.ok().flatten();

    let seeded = first.expect("the first run loads the data");
    assert!(second.is_none(), "a second run changes nothing");
    assert_eq!(seeded.forums, 12);
    assert!(seeded.organisations >= 24);
    let report = app
        .get("/api/v1/regions/kent-surrey-sussex/accountability", None)
        .await
        .json();
    let refs: Vec<&str> = report["commitments"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["reference"].as_str())
        .collect();
    assert!(refs.contains(&"KSS-ACC-1") && refs.contains(&"KSS-RACE-1"));
    assert!(
        report["commitments_without_actions"].as_u64().unwrap_or(0) >= 1,
        "some promises have no work behind them"
    );
    assert!(
        !report["themes_without_commitments"]
            .as_array()
            .is_none_or(Vec::is_empty),
        "some themes have no commitments"
    );
    let overdue: u64 = report["commitments"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["actions"]["overdue"].as_u64())
        .sum();
    assert!(overdue >= 1, "some actions are overdue");
    assert!(
        report["voice"]["organisations_taking_part"].as_u64() >= Some(1),
        "members took part in the last twelve months: {}",
        report["voice"]
    );
    let matrix = app.get("/api/v1/accountability/themes", None).await.json();
    let with_plans = matrix["regions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["plan_id"] != Value::Null)
        .count();
    assert_eq!(with_plans, 12);
    let login = app
        .login(
            "rpd.kent-surrey-sussex@demo.convene.example",
            convene::demo::DEMO_PASSWORD,
        )
        .await;
    login.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn the_demo_has_the_forum_s_answer_to_the_2021_reforms_agreed_by_its_members() {
    let app = TestApp::spawn().await;
    let seeded = convene::demo::seed(app.db(), chrono::Utc::now())
        .await
        .ok()
        .flatten()
        .expect("seeded");
    assert_eq!(seeded.consultations, 12);
    let report = app
        .get("/api/v1/regions/kent-surrey-sussex/accountability", None)
        .await
        .json();
    assert_eq!(report["voice"]["consultations_responded"], 1);
    assert_eq!(report["voice"]["consultations_responded_before_closing"], 1);
    let wales = app
        .get("/api/v1/regions/wales/accountability", None)
        .await
        .json();
    assert_eq!(
        wales["voice"]["consultations_responded_before_closing"], 0,
        "sent late"
    );

    // Submitted, so public: the consultation and the joint response.
    let forum = report["forum_id"].as_str().expect("a forum");
    let listed = app
        .get(
            &format!("/api/v1/forums/{forum}/consultation-responses"),
            None,
        )
        .await
        .json();
    let consultation = listed["items"][0]["id"].as_str().expect("a consultation");
    let response = app
        .get(
            &format!("/api/v1/consultations/{consultation}/response"),
            None,
        )
        .await
        .json();
    let questions = response["questions"].as_array().expect("questions");
    assert_eq!(questions.len(), 3);
    for q in questions {
        assert_eq!(
            q["answer"]["cites"].as_array().map(Vec::len),
            Some(3),
            "{q}"
        );
    }

    // The members read every contribution behind it.
    let member = app
        .login(
            "member1.kent-surrey-sussex@demo.convene.example",
            convene::demo::DEMO_PASSWORD,
        )
        .await
        .json()["access_token"]
        .as_str()
        .expect("a token")
        .to_string();
    let contributions = app
        .get(
            &format!("/api/v1/consultations/{consultation}/contributions"),
            Some(&member),
        )
        .await
        .json();
    assert_eq!(contributions["items"].as_array().map(Vec::len), Some(9));

    // The members' poll that agreed it: two agreed, one abstained.
    let polls = app
        .get(&format!("/api/v1/forums/{forum}/polls"), Some(&member))
        .await
        .json();
    let poll = polls["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["consultation_id"] == consultation)
        .and_then(|p| p["id"].as_str())
        .expect("the consultation's poll");
    let results = app
        .get(&format!("/api/v1/polls/{poll}/results"), Some(&member))
        .await
        .json();
    let votes: Vec<(String, u64)> = results["options"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| {
            (
                o["label"].as_str().unwrap_or_default().to_string(),
                o["votes"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        votes,
        [
            ("Agree".to_string(), 2),
            ("Disagree".to_string(), 0),
            ("Abstain".to_string(), 1)
        ]
    );
    assert_eq!(results["carried"], true);
}

#[tokio::test]
async fn the_demo_s_funding_shows_one_region_whose_grants_all_went_to_its_large_provider() {
    let app = TestApp::spawn().await;
    let seeded = convene::demo::seed(app.db(), chrono::Utc::now())
        .await
        .ok()
        .flatten()
        .expect("seeded");
    assert_eq!(seeded.opportunities, 36);
    let funding = |code: &str| {
        let app = &app;
        let path = format!("/api/v1/regions/{code}/accountability");
        async move { app.get(&path, None).await.json()["funding"].clone() }
    };
    let kss = funding("kent-surrey-sussex").await;
    assert_eq!(kss["awards"], 3);
    assert_eq!(kss["value_pence"], 48_300_000);
    assert_eq!(kss["small_and_micro_value_pence"], 6_300_000);
    assert_eq!(kss["commitments_with_funding"], 2);
    let north_west = funding("north-west").await;
    assert_eq!(north_west["small_and_micro_share"], 0.0);
    assert_eq!(north_west["outside_supply_chain_share"], 0.0);
    let open = app
        .get("/api/v1/regions/north-west/opportunities?status=open", None)
        .await
        .json();
    assert_eq!(open["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn the_demo_leaves_regions_with_real_data_alone() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let wales = app
        .create_forum(&admin, "wales", "The real Welsh forum")
        .await;

    let seeded = convene::demo::seed(app.db(), chrono::Utc::now())
        .await
        .ok()
        .flatten()
        .expect("seeded");

    let skipped: Vec<String> = seeded
        .skipped_regions
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(skipped, ["wales (it already has a forum)"]);
    assert_eq!(seeded.forums, 11);
    assert_eq!(
        app.get(&format!("/api/v1/forums/{wales}"), None)
            .await
            .json()["name"],
        "The real Welsh forum"
    );
}
