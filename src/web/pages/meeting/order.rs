//! Moving an agenda item up or down: a plain form per button, so that it
//! works without JavaScript. The form carries the whole order the page
//! showed; the move is made on it and the whole order sent to the
//! operation with the order it was made on, which refuses it when the
//! agenda is no longer in that order (reordered, or an item added or
//! removed since): the page then shows the agenda as it is now.

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::view::Forms;
use super::{At, back_to, refused, require_meeting};
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::meetings::{self, AgendaOrderIn};
use crate::web::error::PageResult;
use crate::web::i18n::Text;
use crate::web::session::CheckedForm;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OrderForm {
    /// The accepted items, in the order the page showed them.
    item_ids: Vec<String>,
    /// `up:<id>` or `down:<id>`: the button pressed.
    #[serde(rename = "move")]
    step: String,
}

/// The order after the move; `None` for a move that names no item shown,
/// or one off either end.
fn moved(order: &[Uuid], step: &str) -> Option<Vec<Uuid>> {
    let (direction, id) = step.split_once(':')?;
    let id: Uuid = id.parse().ok()?;
    let at = order.iter().position(|i| *i == id)?;
    let to = match direction {
        "up" => at.checked_sub(1)?,
        "down" => Some(at + 1).filter(|to| *to < order.len())?,
        _ => return None,
    };
    let mut order = order.to_vec();
    order.swap(at, to);
    Some(order)
}

pub async fn reorder(
    State(state): State<AppState>,
    Path((forum, meeting)): Path<(String, String)>,
    CheckedForm { visitor, form }: CheckedForm<OrderForm>,
) -> PageResult<Response> {
    let at = At::parse(&forum, &meeting)?;
    let caller = visitor.signed_in(&at.href())?;
    require_meeting(&state, caller, &at).await?;
    let shown: Vec<Uuid> = form
        .item_ids
        .iter()
        .filter_map(|id| id.parse().ok())
        .collect();
    let Some(item_ids) = moved(&shown, &form.step) else {
        return Err(ApiError::BadRequest("no such move".into()).into());
    };
    let anchor = format!(
        "item-{}",
        form.step.split_once(':').map_or("", |(_, id)| id)
    );
    let input = AgendaOrderIn {
        item_ids,
        read_order: Some(shown),
    };
    match meetings::order_agenda(&state, caller, at.meeting, input).await {
        Ok(_) => Ok(back_to(&at, "moved", &anchor)),
        Err(error @ (ApiError::Validation(_) | ApiError::Conflict(_))) => {
            let status = crate::http::problem::status(&error);
            let message = Text::default().get("meeting-order-stale");
            refused(
                &state,
                &visitor,
                caller,
                &at,
                Forms::problem(message),
                status,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_move_swaps_an_item_with_its_neighbour_and_never_leaves_the_agenda() {
        let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let order = [a, b, c];
        assert_eq!(moved(&order, &format!("up:{b}")), Some(vec![b, a, c]));
        assert_eq!(moved(&order, &format!("down:{b}")), Some(vec![a, c, b]));
        assert_eq!(moved(&order, &format!("up:{a}")), None);
        assert_eq!(moved(&order, &format!("down:{c}")), None);
        assert_eq!(moved(&order, &format!("sideways:{a}")), None);
        assert_eq!(moved(&order, &format!("up:{}", Uuid::now_v7())), None);
    }
}
