//! The demo's consultation: the 2021 probation reforms, as a forum answered
//! them — its members' contributions, the joint response citing them, the
//! members' poll that agreed it, and its submission.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use entity::{
    ConsultationStatus, PollKind, consultation, consultation_answer, consultation_answer_citation,
    consultation_answer_revision, consultation_contribution, consultation_question, poll,
    poll_option, poll_vote, poll_vote_choice,
};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde_json::json;
use uuid::Uuid;

use crate::kernel::error::ApiResult;

const QUESTIONS: [(&str, Option<i32>); 3] = [
    (
        "How should the new Commissioned Rehabilitative Services reach people on probation \
         in the region, including those the old contracts missed?",
        None,
    ),
    (
        "What would let small, specialist voluntary organisations bid for or deliver these \
         services?",
        Some(500),
    ),
    (
        "How should the Regional Probation Director involve the voluntary sector in the \
         region's Reducing Reoffending Plan?",
        None,
    ),
];

/// What each of the first three member organisations said, per question.
const CONTRIBUTIONS: [[&str; 3]; 3] = [
    [
        "Through the people who already work with women and families: referral routes must \
         include community services, not only probation practitioners.",
        "Grants rather than contracts below £100k, and a year's notice of each round.",
        "A standing item at the forum on the plan, with the RPD's team reporting progress.",
    ],
    [
        "Start at the gate: the first night after release decides much of what follows.",
        "Sub-contracting terms that do not pass all the financial risk to the smallest partner.",
        "Publish the plan's commitments with dates, so that the forum can follow them.",
    ],
    [
        "Use lived-experience organisations as the first contact for people who distrust \
         statutory services.",
        "A share of the budget ring-fenced for organisations led by and for the people they serve.",
        "Involve the forum before the plan is drafted, not after.",
    ],
];

const ANSWERS: [&str; 3] = [
    "The forum asks that referral routes include community services as well as probation \
     practitioners, that the services start at the gate, and that lived-experience \
     organisations be funded as the first contact for people who distrust statutory services.",
    "Grants rather than contracts for awards under £100,000, announced a year ahead; \
     sub-contracting terms that share financial risk fairly; and a ring-fenced share of the \
     budget for organisations led by and for the people they serve.",
    "Involve the forum before the plan is drafted; publish its commitments with dates; and \
     report progress on them as a standing item at each forum meeting.",
];

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn at(y: i32, m: u32, d: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, hour, 0, 0)
        .single()
        .unwrap_or_default()
}

/// The consultation of one demo forum, answered by its first three member
/// organisations (`members`: their people and organisations) and agreed
/// by a poll. `late`: submitted after it closed, as one region did.
pub async fn reforms_2021(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    members: &[(Uuid, Option<Uuid>)],
    secretary: Uuid,
    late: bool,
) -> ApiResult<()> {
    let closes_on = day(2021, 3, 31);
    let id = Uuid::now_v7();
    consultation::ActiveModel {
        id: Set(id),
        forum_id: Set(forum_id),
        title: Set("The 2021 probation reforms: commissioning rehabilitative services".into()),
        consulting_body: Set("HM Prison and Probation Service".into()),
        source_url: Set(Some(
            "https://www.gov.uk/government/publications/the-target-operating-model-for-probation-services-in-england-and-wales".into(),
        )),
        description: Set(
            "How the unified probation service should commission rehabilitative services \
             from June 2021, and the voluntary sector's part in them."
                .into(),
        ),
        closes_on: Set(closes_on),
        internal_deadline: Set(day(2021, 3, 15)),
        status: Set(ConsultationStatus::Submitted),
        submitted_on: Set(Some(if late { day(2021, 4, 6) } else { day(2021, 3, 29) })),
        submission_reference: Set(Some("Sent by email to the HMPPS consultation team".into())),
        withdrawn_reason: Set(None),
        version: Set(5),
        created_by: Set(Some(secretary)),
        created_at: Set(at(2021, 2, 15, 10)),
        updated_at: Set(at(2021, 3, 29, 16)),
    }
    .insert(conn)
    .await?;
    let speakers: Vec<(Uuid, Uuid)> = members
        .iter()
        .filter_map(|(person, org)| org.map(|org| (*person, org)))
        .take(3)
        .collect();
    for (n, (text, word_limit)) in QUESTIONS.iter().enumerate() {
        let question = consultation_question::ActiveModel {
            id: Set(Uuid::now_v7()),
            consultation_id: Set(id),
            position: Set(i32::try_from(n).unwrap_or(0) + 1),
            text: Set((*text).into()),
            guidance: Set(None),
            word_limit: Set(*word_limit),
        }
        .insert(conn)
        .await?;
        let mut cited = Vec::new();
        for (said, (person, organisation)) in CONTRIBUTIONS.iter().zip(&speakers) {
            let written = at(2021, 3, 2 + u32::try_from(n).unwrap_or(0), 11);
            let contribution = consultation_contribution::ActiveModel {
                id: Set(Uuid::now_v7()),
                consultation_id: Set(id),
                question_id: Set(question.id),
                organisation_id: Set(*organisation),
                body: Set(said[n].into()),
                version: Set(1),
                written_by: Set(Some(*person)),
                created_at: Set(written),
                updated_at: Set(written),
            }
            .insert(conn)
            .await?;
            cited.push(contribution.id);
        }
        let answer = consultation_answer::ActiveModel {
            id: Set(Uuid::now_v7()),
            consultation_id: Set(id),
            question_id: Set(question.id),
            body: Set(ANSWERS[n].into()),
            version: Set(1),
            edited_by: Set(Some(secretary)),
            created_at: Set(at(2021, 3, 18, 14)),
            updated_at: Set(at(2021, 3, 18, 14)),
        }
        .insert(conn)
        .await?;
        if !cited.is_empty() {
            consultation_answer_citation::Entity::insert_many(cited.iter().map(|c| {
                consultation_answer_citation::ActiveModel {
                    answer_id: Set(answer.id),
                    contribution_id: Set(*c),
                }
            }))
            .exec(conn)
            .await?;
        }
        consultation_answer_revision::ActiveModel {
            id: Set(Uuid::now_v7()),
            answer_id: Set(answer.id),
            version: Set(1),
            body: Set(answer.body.clone()),
            cites: Set(json!(cited)),
            edited_by: Set(Some(secretary)),
            edited_at: Set(answer.updated_at),
        }
        .insert(conn)
        .await?;
    }
    agreed_by_poll(conn, forum_id, id, &speakers, secretary).await
}

/// The members' poll on the response: two agreed, one abstained.
async fn agreed_by_poll(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    consultation_id: Uuid,
    speakers: &[(Uuid, Uuid)],
    secretary: Uuid,
) -> ApiResult<()> {
    let poll_id = Uuid::now_v7();
    poll::ActiveModel {
        id: Set(poll_id),
        forum_id: Set(forum_id),
        question: Set("Do you agree the forum's response to the 2021 probation reforms?".into()),
        description: Set(String::new()),
        kind: Set(PollKind::AgreeDisagreeAbstain),
        max_choices: Set(None),
        opens_at: Set(at(2021, 3, 22, 9)),
        closes_at: Set(at(2021, 3, 26, 17)),
        results_before_close: Set(false),
        open_voting: Set(false),
        agenda_item_id: Set(None),
        consultation_id: Set(Some(consultation_id)),
        cancelled_at: Set(None),
        cancel_reason: Set(None),
        version: Set(1),
        created_by: Set(Some(secretary)),
        created_at: Set(at(2021, 3, 22, 9)),
        updated_at: Set(at(2021, 3, 22, 9)),
    }
    .insert(conn)
    .await?;
    let mut options = Vec::new();
    for (n, label) in ["Agree", "Disagree", "Abstain"].into_iter().enumerate() {
        let option = poll_option::ActiveModel {
            id: Set(Uuid::now_v7()),
            poll_id: Set(poll_id),
            position: Set(i32::try_from(n).unwrap_or(0) + 1),
            label: Set(label.into()),
        }
        .insert(conn)
        .await?;
        options.push(option.id);
    }
    for (n, (person, organisation)) in speakers.iter().enumerate() {
        let choice = if n < 2 { options[0] } else { options[2] };
        poll_vote::ActiveModel {
            poll_id: Set(poll_id),
            organisation_id: Set(*organisation),
            cast_by: Set(Some(*person)),
            cast_at: Set(at(2021, 3, 23 + u32::try_from(n).unwrap_or(0), 12)),
        }
        .insert(conn)
        .await?;
        poll_vote_choice::ActiveModel {
            poll_id: Set(poll_id),
            organisation_id: Set(*organisation),
            option_id: Set(choice),
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}
