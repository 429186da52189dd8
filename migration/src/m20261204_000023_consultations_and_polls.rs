//! The forum's voice: consultations its members answer together, and polls
//! that decide. A consultation has ordered questions; each member
//! organisation contributes at most one answer per question; the officers
//! compose the forum's joint answer per question (every revision kept, each
//! citing the contributions it draws on). A poll has options, and each
//! member organisation at most one vote (a row the database keeps unique,
//! replaced by a later vote), choosing one or more of its options.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{col, fk, index, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        manager
            .create_table(
                Table::create()
                    .table(col("consultations"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("forum_id")))
                    .col(string(col("title")))
                    // Who is consulting (e.g. the Ministry of Justice).
                    .col(string(col("consulting_body")))
                    .col(text_null(col("source_url")))
                    .col(text(col("description")))
                    .col(date(col("closes_on")))
                    // The forum's own: contributions are taken until then.
                    .col(date(col("internal_deadline")))
                    // open → drafting → agreed → submitted, or withdrawn.
                    .col(string(col("status")))
                    .col(date_null(col("submitted_on")))
                    .col(text_null(col("submission_reference")))
                    .col(text_null(col("withdrawn_reason")))
                    .col(integer(col("version")))
                    .col(uuid_null(col("created_by")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .col(timestamp_with_time_zone(col("updated_at")))
                    .foreign_key(&mut fk("consultations", "forum_id", "forums", Cascade))
                    .foreign_key(&mut fk("consultations", "created_by", "users", SetNull))
                    .check(Expr::cust("internal_deadline <= closes_on"))
                    .to_owned(),
            )
            .await?;
        index(manager, "consultations", &["forum_id", "id"]).await?;
        index(manager, "consultations", &["status", "internal_deadline"]).await?;
        index(manager, "consultations", &["created_by"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(col("consultation_questions"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("consultation_id")))
                    .col(integer(col("position")))
                    .col(text(col("text")))
                    .col(text_null(col("guidance")))
                    .col(integer_null(col("word_limit")))
                    .foreign_key(&mut fk(
                        "consultation_questions",
                        "consultation_id",
                        "consultations",
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_consultation_questions_position",
            "consultation_questions",
            &["consultation_id", "position"],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(col("consultation_contributions"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("consultation_id")))
                    .col(uuid(col("question_id")))
                    .col(uuid(col("organisation_id")))
                    .col(text(col("body")))
                    .col(integer(col("version")))
                    .col(uuid_null(col("written_by")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .col(timestamp_with_time_zone(col("updated_at")))
                    .foreign_key(&mut fk(
                        "consultation_contributions",
                        "consultation_id",
                        "consultations",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "consultation_contributions",
                        "question_id",
                        "consultation_questions",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "consultation_contributions",
                        "organisation_id",
                        "organisations",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "consultation_contributions",
                        "written_by",
                        "users",
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        // One per organisation per question: the database decides.
        unique(
            manager,
            "uq_consultation_contributions_question_organisation",
            "consultation_contributions",
            &["question_id", "organisation_id"],
        )
        .await?;
        index(
            manager,
            "consultation_contributions",
            &["consultation_id", "id"],
        )
        .await?;
        index(
            manager,
            "consultation_contributions",
            &["organisation_id", "created_at"],
        )
        .await?;
        index(manager, "consultation_contributions", &["written_by"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(col("consultation_answers"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("consultation_id")))
                    .col(uuid(col("question_id")))
                    .col(text(col("body")))
                    .col(integer(col("version")))
                    .col(uuid_null(col("edited_by")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .col(timestamp_with_time_zone(col("updated_at")))
                    .foreign_key(&mut fk(
                        "consultation_answers",
                        "consultation_id",
                        "consultations",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "consultation_answers",
                        "question_id",
                        "consultation_questions",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "consultation_answers",
                        "edited_by",
                        "users",
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_consultation_answers_question",
            "consultation_answers",
            &["question_id"],
        )
        .await?;
        index(manager, "consultation_answers", &["consultation_id"]).await?;
        index(manager, "consultation_answers", &["edited_by"]).await?;

        // The contributions an answer draws on, as it now stands. A cited
        // contribution cannot be withdrawn (Restrict).
        manager
            .create_table(
                Table::create()
                    .table(col("consultation_answer_citations"))
                    .col(uuid(col("answer_id")))
                    .col(uuid(col("contribution_id")))
                    .primary_key(
                        Index::create()
                            .col(col("answer_id"))
                            .col(col("contribution_id")),
                    )
                    .foreign_key(&mut fk(
                        "consultation_answer_citations",
                        "answer_id",
                        "consultation_answers",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "consultation_answer_citations",
                        "contribution_id",
                        "consultation_contributions",
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "consultation_answer_citations",
            &["contribution_id"],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(col("consultation_answer_revisions"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("answer_id")))
                    .col(integer(col("version")))
                    .col(text(col("body")))
                    // The contribution ids it cited, as a JSON array.
                    .col(json(col("cites")))
                    .col(uuid_null(col("edited_by")))
                    .col(timestamp_with_time_zone(col("edited_at")))
                    .foreign_key(&mut fk(
                        "consultation_answer_revisions",
                        "answer_id",
                        "consultation_answers",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "consultation_answer_revisions",
                        "edited_by",
                        "users",
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_consultation_answer_revisions_version",
            "consultation_answer_revisions",
            &["answer_id", "version"],
        )
        .await?;
        index(manager, "consultation_answer_revisions", &["edited_by"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(col("polls"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("forum_id")))
                    .col(text(col("question")))
                    .col(text(col("description")))
                    // agree-disagree-abstain, single-choice or multiple-choice.
                    .col(string(col("kind")))
                    // For multiple choice: how many options a vote may choose.
                    .col(integer_null(col("max_choices")))
                    .col(timestamp_with_time_zone(col("opens_at")))
                    .col(timestamp_with_time_zone(col("closes_at")))
                    .col(boolean(col("results_before_close")))
                    // Whether who voted for what is shown, not only who voted.
                    .col(boolean(col("open_voting")))
                    // What it decides: an agenda item, a consultation's joint
                    // response, or neither.
                    .col(uuid_null(col("agenda_item_id")))
                    .col(uuid_null(col("consultation_id")))
                    .col(timestamp_with_time_zone_null(col("cancelled_at")))
                    .col(text_null(col("cancel_reason")))
                    .col(integer(col("version")))
                    .col(uuid_null(col("created_by")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .col(timestamp_with_time_zone(col("updated_at")))
                    .foreign_key(&mut fk("polls", "forum_id", "forums", Cascade))
                    .foreign_key(&mut fk("polls", "agenda_item_id", "agenda_items", Cascade))
                    .foreign_key(&mut fk(
                        "polls",
                        "consultation_id",
                        "consultations",
                        Cascade,
                    ))
                    .foreign_key(&mut fk("polls", "created_by", "users", SetNull))
                    .check(Expr::cust(
                        "opens_at < closes_at \
                         AND (agenda_item_id IS NULL OR consultation_id IS NULL)",
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "polls", &["forum_id", "id"]).await?;
        index(manager, "polls", &["agenda_item_id"]).await?;
        index(manager, "polls", &["consultation_id", "opens_at"]).await?;
        index(manager, "polls", &["opens_at"]).await?;
        index(manager, "polls", &["closes_at"]).await?;
        index(manager, "polls", &["created_by"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(col("poll_options"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("poll_id")))
                    .col(integer(col("position")))
                    .col(string(col("label")))
                    .foreign_key(&mut fk("poll_options", "poll_id", "polls", Cascade))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_poll_options_position",
            "poll_options",
            &["poll_id", "position"],
        )
        .await?;

        // One vote per organisation per poll: its key.
        manager
            .create_table(
                Table::create()
                    .table(col("poll_votes"))
                    .col(uuid(col("poll_id")))
                    .col(uuid(col("organisation_id")))
                    .col(uuid_null(col("cast_by")))
                    .col(timestamp_with_time_zone(col("cast_at")))
                    .primary_key(
                        Index::create()
                            .col(col("poll_id"))
                            .col(col("organisation_id")),
                    )
                    .foreign_key(&mut fk("poll_votes", "poll_id", "polls", Cascade))
                    .foreign_key(&mut fk(
                        "poll_votes",
                        "organisation_id",
                        "organisations",
                        Cascade,
                    ))
                    .foreign_key(&mut fk("poll_votes", "cast_by", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        index(manager, "poll_votes", &["organisation_id", "cast_at"]).await?;
        index(manager, "poll_votes", &["cast_by"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(col("poll_vote_choices"))
                    .col(uuid(col("poll_id")))
                    .col(uuid(col("organisation_id")))
                    .col(uuid(col("option_id")))
                    .primary_key(
                        Index::create()
                            .col(col("poll_id"))
                            .col(col("organisation_id"))
                            .col(col("option_id")),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from_tbl(col("poll_vote_choices"))
                            .from_col(col("poll_id"))
                            .from_col(col("organisation_id"))
                            .to_tbl(col("poll_votes"))
                            .to_col(col("poll_id"))
                            .to_col(col("organisation_id"))
                            .on_delete(Cascade),
                    )
                    .foreign_key(&mut fk(
                        "poll_vote_choices",
                        "option_id",
                        "poll_options",
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "poll_vote_choices", &["option_id"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "poll_vote_choices",
            "poll_votes",
            "poll_options",
            "polls",
            "consultation_answer_revisions",
            "consultation_answer_citations",
            "consultation_answers",
            "consultation_contributions",
            "consultation_questions",
            "consultations",
        ] {
            manager
                .drop_table(Table::drop().table(col(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
