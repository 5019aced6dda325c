//! The data contract as the query builder sees it: which view serves each entity, which column
//! backs each field, and which link view backs each array of references.

use crate::oneroster::entity::{Entity, Field, FieldType};

/// Where an array-of-references field lives: rows `(owner, target)` in `view`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub view: &'static str,
    pub owner: &'static str,
    pub target: &'static str,
}

/// The view that serves `entity`.
pub fn view(entity: Entity) -> &'static str {
    match entity {
        Entity::Org => "oneroster_orgs",
        Entity::AcademicSession => "oneroster_academic_sessions",
        Entity::Course => "oneroster_courses",
        Entity::Class => "oneroster_classes",
        Entity::User => "oneroster_users",
        Entity::Enrollment => "oneroster_enrollments",
        Entity::Demographics => "oneroster_demographics",
    }
}

/// Every view the service reads: the entity views, then the link views.
pub fn all() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Entity::ALL.iter().map(|e| view(*e)).collect();
    for entity in Entity::ALL {
        for field in entity.fields() {
            if let Some(link) = link(entity, field.name) {
                if !names.contains(&link.view) {
                    names.push(link.view);
                }
            }
        }
    }
    names
}

/// The link behind a `RefList` field of `entity`.
pub fn link(entity: Entity, field: &str) -> Option<Link> {
    let link = |view, owner, target| {
        Some(Link {
            view,
            owner,
            target,
        })
    };
    match (entity, field) {
        (Entity::Class, "terms") => {
            link("oneroster_class_terms", "classSourcedId", "termSourcedId")
        }
        (Entity::User, "orgs") => link("oneroster_user_orgs", "userSourcedId", "orgSourcedId"),
        (Entity::User, "agents") => {
            link("oneroster_user_agents", "userSourcedId", "agentSourcedId")
        }
        // Children are the rows of the same view that name the owner as their parent.
        (Entity::Org | Entity::AcademicSession, "children") => {
            link(view(entity), "parentSourcedId", "sourcedId")
        }
        _ => None,
    }
}

/// The view column that holds a scalar or single-reference field.
pub fn column(field: &Field) -> Option<&'static str> {
    match field.ty {
        FieldType::RefList(_) => None,
        FieldType::Ref(_) => Some(ref_column(field.name)),
        _ => Some(field.name),
    }
}

fn ref_column(name: &str) -> &'static str {
    match name {
        "parent" => "parentSourcedId",
        "schoolYear" => "schoolYearSourcedId",
        "org" => "orgSourcedId",
        "course" => "courseSourcedId",
        "school" => "schoolSourcedId",
        "user" => "userSourcedId",
        "class" => "classSourcedId",
        // The catalogue and this list are checked against each other by a unit test.
        _ => "sourcedId",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_reads_ten_views() {
        let names = all();
        assert_eq!(names.len(), 10, "{names:?}");
        assert!(names.contains(&"oneroster_user_agents"));
    }

    #[test]
    fn every_field_has_a_column_or_a_link() {
        for entity in Entity::ALL {
            for field in entity.fields() {
                match field.ty {
                    FieldType::RefList(_) => {
                        assert!(
                            link(entity, field.name).is_some(),
                            "{entity:?}.{}",
                            field.name
                        )
                    }
                    FieldType::Ref(_) => {
                        assert_eq!(ref_column(field.name), format!("{}SourcedId", field.name))
                    }
                    _ => assert_eq!(column(field), Some(field.name)),
                }
            }
        }
    }
}
