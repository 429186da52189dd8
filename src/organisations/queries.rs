//! Reading and writing organisations with their many-valued fields.

use std::collections::HashMap;

use entity::{
    LedByAndFor, Theme, organisation, organisation_led_by, organisation_region, organisation_theme,
};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::types::{Children, OrganisationOut};
use crate::kernel::error::{ApiError, FieldError};
use crate::regions;

/// Organisations that serve a region. Most organisations serve some region
/// or other, so a region's share of the directory is large: the list walks
/// its name order and asks of each organisation whether it serves the region
/// (a primary-key probe), instead of gathering the region's whole share and
/// sorting it for every page.
pub fn serving_region(region_id: Uuid) -> Expr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(organisation_region::Entity)
            .and_where(
                Expr::col((
                    organisation_region::Entity,
                    organisation_region::Column::OrganisationId,
                ))
                .equals((organisation::Entity, organisation::Column::Id)),
            )
            .and_where(organisation_region::Column::RegionId.eq(region_id))
            .to_owned(),
    )
}

/// The many-valued fields of a set of organisations, in three queries
/// whatever the number of organisations.
pub async fn children_of(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Children>, DbErr> {
    let mut children: HashMap<Uuid, Children> = HashMap::new();
    if ids.is_empty() {
        return Ok(children);
    }
    let codes: HashMap<Uuid, String> = regions::all(conn)
        .await?
        .into_iter()
        .map(|r| (r.id, r.code))
        .collect();
    for row in organisation_region::Entity::find()
        .filter(organisation_region::Column::OrganisationId.is_in(ids.iter().copied()))
        .all(conn)
        .await?
    {
        if let Some(code) = codes.get(&row.region_id) {
            children
                .entry(row.organisation_id)
                .or_default()
                .region_codes
                .insert(code.clone());
        }
    }
    for row in organisation_led_by::Entity::find()
        .filter(organisation_led_by::Column::OrganisationId.is_in(ids.iter().copied()))
        .all(conn)
        .await?
    {
        children
            .entry(row.organisation_id)
            .or_default()
            .led_by_and_for
            .insert(row.category);
    }
    for row in organisation_theme::Entity::find()
        .filter(organisation_theme::Column::OrganisationId.is_in(ids.iter().copied()))
        .all(conn)
        .await?
    {
        children
            .entry(row.organisation_id)
            .or_default()
            .themes
            .insert(row.theme);
    }
    Ok(children)
}

pub async fn with_children(
    conn: &impl ConnectionTrait,
    orgs: Vec<organisation::Model>,
) -> Result<Vec<OrganisationOut>, DbErr> {
    let ids: Vec<Uuid> = orgs.iter().map(|o| o.id).collect();
    let mut children = children_of(conn, &ids).await?;
    Ok(orgs
        .into_iter()
        .map(|org| {
            let kids = children.remove(&org.id).unwrap_or_default();
            OrganisationOut::new(org, kids)
        })
        .collect())
}

pub async fn find(conn: &impl ConnectionTrait, id: Uuid) -> Result<Option<OrganisationOut>, DbErr> {
    let Some(org) = organisation::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    Ok(with_children(conn, vec![org]).await?.pop())
}

/// Region ids for the given codes; every unknown code is a field error.
pub async fn region_ids(
    conn: &impl ConnectionTrait,
    codes: &[String],
) -> Result<Vec<Uuid>, ApiError> {
    let known: HashMap<String, Uuid> = regions::all(conn)
        .await?
        .into_iter()
        .map(|r| (r.code, r.id))
        .collect();
    let mut ids = Vec::new();
    let mut errors = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        match known.get(code) {
            Some(id) if !ids.contains(id) => ids.push(*id),
            Some(_) => {}
            None => errors.push(FieldError::new(
                format!("regions_served[{i}]"),
                format!("`{code}` is not a region code"),
            )),
        }
    }
    if errors.is_empty() {
        Ok(ids)
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Replaces whichever many-valued fields are given.
pub async fn replace_children(
    conn: &impl ConnectionTrait,
    organisation_id: Uuid,
    led_by_and_for: Option<&[LedByAndFor]>,
    themes: Option<&[Theme]>,
    region_ids: Option<&[Uuid]>,
) -> Result<(), DbErr> {
    if let Some(categories) = led_by_and_for {
        organisation_led_by::Entity::delete_many()
            .filter(organisation_led_by::Column::OrganisationId.eq(organisation_id))
            .exec(conn)
            .await?;
        let mut unique = categories.to_vec();
        unique.sort();
        unique.dedup();
        if !unique.is_empty() {
            organisation_led_by::Entity::insert_many(unique.into_iter().map(|category| {
                organisation_led_by::ActiveModel {
                    organisation_id: sea_orm::Set(organisation_id),
                    category: sea_orm::Set(category),
                }
            }))
            .exec(conn)
            .await?;
        }
    }
    if let Some(themes) = themes {
        organisation_theme::Entity::delete_many()
            .filter(organisation_theme::Column::OrganisationId.eq(organisation_id))
            .exec(conn)
            .await?;
        let mut unique = themes.to_vec();
        unique.sort();
        unique.dedup();
        if !unique.is_empty() {
            organisation_theme::Entity::insert_many(unique.into_iter().map(|theme| {
                organisation_theme::ActiveModel {
                    organisation_id: sea_orm::Set(organisation_id),
                    theme: sea_orm::Set(theme),
                }
            }))
            .exec(conn)
            .await?;
        }
    }
    if let Some(region_ids) = region_ids {
        organisation_region::Entity::delete_many()
            .filter(organisation_region::Column::OrganisationId.eq(organisation_id))
            .exec(conn)
            .await?;
        if !region_ids.is_empty() {
            organisation_region::Entity::insert_many(region_ids.iter().map(|region_id| {
                organisation_region::ActiveModel {
                    organisation_id: sea_orm::Set(organisation_id),
                    region_id: sea_orm::Set(*region_id),
                }
            }))
            .exec(conn)
            .await?;
        }
    }
    Ok(())
}
