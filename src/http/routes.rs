//! The route table: every OneRoster rostering read, listed once.
//!
//! Both version trees are built from this table, so no route or handler is written twice. Each
//! row names the path (relative to the tree's base), the envelope key, whether it returns a
//! collection or one record, the entity, the scope it needs, and the restrictions its path
//! implies. Source: the 41 operations in 1EdTech's OneRoster rostering REST binding (the
//! reference's §2 table, whose row numbers these follow).

use crate::auth::Requirement;
use crate::oneroster::entity::Entity;
use crate::store::Restriction;

/// Whether an operation returns a page of records or one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Collection,
    Single,
}

/// One read operation.
#[derive(Debug)]
pub struct Operation {
    /// The specification's operationId.
    pub id: &'static str,
    /// The path below the tree's base, in axum syntax.
    pub path: &'static str,
    /// The JSON key the records are wrapped in.
    pub envelope: &'static str,
    pub shape: Shape,
    pub entity: Entity,
    pub requirement: Requirement,
    /// The restrictions the path implies, given its parameters in path order. A single-record
    /// read adds `sourcedId = {last parameter}` itself.
    pub restrict: fn(&[String]) -> Vec<Restriction>,
    /// The records the path parameters of a nested read name, in path order. The 1.2 tree
    /// answers 404 when one does not exist; the 1.1 tree answers 200 with an empty array.
    pub parents: &'static [Parent],
}

/// A record a nested route's path names: its entity and the restriction its alias implies
/// (`/schools/{id}` names an org of type school).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parent {
    pub entity: Entity,
    pub implied: Option<(&'static str, &'static str)>,
    /// How an error message names it.
    pub noun: &'static str,
    /// A column that must hold the path's first parameter: the class of
    /// `/schools/{school}/classes/{class}/…` must belong to that school.
    pub within_first: Option<&'static str>,
}

impl Parent {
    /// The restrictions that select the parent with id `id`, given all the path's ids.
    pub fn restrictions(&self, id: &str, ids: &[String]) -> Vec<Restriction> {
        let mut restrictions = vec![Restriction::column("sourcedId", id)];
        if let Some((column, value)) = self.implied {
            restrictions.push(Restriction::column(column, value));
        }
        if let Some(column) = self.within_first {
            restrictions.push(Restriction::column(column, param(ids, 0)));
        }
        restrictions
    }
}

const CLASS: Parent = Parent {
    entity: Entity::Class,
    implied: None,
    noun: "class",
    within_first: None,
};
const CLASS_OF_SCHOOL: Parent = Parent {
    within_first: Some("schoolSourcedId"),
    ..CLASS
};
const COURSE: Parent = Parent {
    entity: Entity::Course,
    implied: None,
    noun: "course",
    within_first: None,
};
const SCHOOL: Parent = Parent {
    entity: Entity::Org,
    implied: Some(("type", "school")),
    noun: "school",
    within_first: None,
};
const STUDENT: Parent = Parent {
    entity: Entity::User,
    implied: Some(("role", "student")),
    noun: "student",
    within_first: None,
};
const TEACHER: Parent = Parent {
    entity: Entity::User,
    implied: Some(("role", "teacher")),
    noun: "teacher",
    within_first: None,
};
const TERM: Parent = Parent {
    entity: Entity::AcademicSession,
    implied: Some(("type", "term")),
    noun: "term",
    within_first: None,
};
const USER: Parent = Parent {
    entity: Entity::User,
    implied: None,
    noun: "user",
    within_first: None,
};

fn none(_: &[String]) -> Vec<Restriction> {
    Vec::new()
}

fn param(ids: &[String], index: usize) -> String {
    ids.get(index).cloned().unwrap_or_default()
}

fn schools(_: &[String]) -> Vec<Restriction> {
    vec![Restriction::column("type", "school")]
}

fn terms(_: &[String]) -> Vec<Restriction> {
    vec![Restriction::column("type", "term")]
}

fn grading_periods(_: &[String]) -> Vec<Restriction> {
    vec![Restriction::column("type", "gradingPeriod")]
}

fn students(_: &[String]) -> Vec<Restriction> {
    vec![Restriction::column("role", "student")]
}

fn teachers(_: &[String]) -> Vec<Restriction> {
    vec![Restriction::column("role", "teacher")]
}

fn enrolled(
    role: &'static str,
    class: usize,
    school: Option<usize>,
) -> impl Fn(&[String]) -> Vec<Restriction> {
    move |ids| {
        vec![Restriction::Enrolled {
            role: Some(role),
            class: Some(param(ids, class)),
            school: school.map(|i| param(ids, i)),
        }]
    }
}

fn students_for_class(ids: &[String]) -> Vec<Restriction> {
    enrolled("student", 0, None)(ids)
}

fn teachers_for_class(ids: &[String]) -> Vec<Restriction> {
    enrolled("teacher", 0, None)(ids)
}

fn students_for_class_in_school(ids: &[String]) -> Vec<Restriction> {
    enrolled("student", 1, Some(0))(ids)
}

fn teachers_for_class_in_school(ids: &[String]) -> Vec<Restriction> {
    enrolled("teacher", 1, Some(0))(ids)
}

fn classes_for_course(ids: &[String]) -> Vec<Restriction> {
    vec![Restriction::column("courseSourcedId", param(ids, 0))]
}

fn classes_for_school(ids: &[String]) -> Vec<Restriction> {
    vec![Restriction::column("schoolSourcedId", param(ids, 0))]
}

fn enrollments_for_class_in_school(ids: &[String]) -> Vec<Restriction> {
    vec![
        Restriction::column("schoolSourcedId", param(ids, 0)),
        Restriction::column("classSourcedId", param(ids, 1)),
    ]
}

fn courses_for_school(ids: &[String]) -> Vec<Restriction> {
    vec![Restriction::column("orgSourcedId", param(ids, 0))]
}

fn enrollments_for_school(ids: &[String]) -> Vec<Restriction> {
    classes_for_school(ids)
}

fn members(role: &'static str, ids: &[String]) -> Vec<Restriction> {
    vec![
        Restriction::column("role", role),
        Restriction::MemberOf { org: param(ids, 0) },
    ]
}

fn students_for_school(ids: &[String]) -> Vec<Restriction> {
    members("student", ids)
}

fn teachers_for_school(ids: &[String]) -> Vec<Restriction> {
    members("teacher", ids)
}

fn terms_for_school(ids: &[String]) -> Vec<Restriction> {
    vec![
        Restriction::column("type", "term"),
        Restriction::SessionOfSchool {
            school: param(ids, 0),
        },
    ]
}

fn classes_for_user(ids: &[String]) -> Vec<Restriction> {
    vec![Restriction::ClassOfUser {
        user: param(ids, 0),
    }]
}

fn classes_for_term(ids: &[String]) -> Vec<Restriction> {
    vec![Restriction::ClassInTerm {
        term: param(ids, 0),
    }]
}

fn grading_periods_for_term(ids: &[String]) -> Vec<Restriction> {
    vec![
        Restriction::column("type", "gradingPeriod"),
        Restriction::column("parentSourcedId", param(ids, 0)),
    ]
}

#[allow(clippy::too_many_arguments)]
const fn op(
    id: &'static str,
    path: &'static str,
    envelope: &'static str,
    shape: Shape,
    entity: Entity,
    requirement: Requirement,
    restrict: fn(&[String]) -> Vec<Restriction>,
    parents: &'static [Parent],
) -> Operation {
    Operation {
        id,
        path,
        envelope,
        shape,
        entity,
        requirement,
        restrict,
        parents,
    }
}

use Entity::{AcademicSession, Class, Course, Demographics, Enrollment, Org, User};
use Requirement::{Core, Demographics as Demo, Roster};
use Shape::{Collection, Single};

/// All 41 rostering read operations.
#[rustfmt::skip]
pub static OPERATIONS: [Operation; 41] = [
    op("getAllAcademicSessions", "/academicSessions", "academicSessions", Collection, AcademicSession, Core, none, &[]),
    op("getAcademicSession", "/academicSessions/{sourcedId}", "academicSession", Single, AcademicSession, Core, none, &[]),
    op("getAllClasses", "/classes", "classes", Collection, Class, Core, none, &[]),
    op("getClass", "/classes/{sourcedId}", "class", Single, Class, Core, none, &[]),
    op("getStudentsForClass", "/classes/{classSourcedId}/students", "users", Collection, User, Roster, students_for_class, &[CLASS]),
    op("getTeachersForClass", "/classes/{classSourcedId}/teachers", "users", Collection, User, Roster, teachers_for_class, &[CLASS]),
    op("getAllCourses", "/courses", "courses", Collection, Course, Core, none, &[]),
    op("getCourse", "/courses/{sourcedId}", "course", Single, Course, Core, none, &[]),
    op("getClassesForCourse", "/courses/{courseSourcedId}/classes", "classes", Collection, Class, Roster, classes_for_course, &[COURSE]),
    op("getAllDemographics", "/demographics", "demographics", Collection, Demographics, Demo, none, &[]),
    op("getDemographics", "/demographics/{sourcedId}", "demographics", Single, Demographics, Demo, none, &[]),
    op("getAllEnrollments", "/enrollments", "enrollments", Collection, Enrollment, Core, none, &[]),
    op("getEnrollment", "/enrollments/{sourcedId}", "enrollment", Single, Enrollment, Core, none, &[]),
    op("getAllGradingPeriods", "/gradingPeriods", "academicSessions", Collection, AcademicSession, Core, grading_periods, &[]),
    op("getGradingPeriod", "/gradingPeriods/{sourcedId}", "academicSession", Single, AcademicSession, Core, grading_periods, &[]),
    op("getAllOrgs", "/orgs", "orgs", Collection, Org, Core, none, &[]),
    op("getOrg", "/orgs/{sourcedId}", "org", Single, Org, Core, none, &[]),
    op("getAllSchools", "/schools", "orgs", Collection, Org, Core, schools, &[]),
    op("getSchool", "/schools/{sourcedId}", "org", Single, Org, Core, schools, &[]),
    op("getClassesForSchool", "/schools/{schoolSourcedId}/classes", "classes", Collection, Class, Roster, classes_for_school, &[SCHOOL]),
    op("getEnrollmentsForClassInSchool", "/schools/{schoolSourcedId}/classes/{classSourcedId}/enrollments", "enrollments", Collection, Enrollment, Roster, enrollments_for_class_in_school, &[SCHOOL, CLASS_OF_SCHOOL]),
    op("getStudentsForClassInSchool", "/schools/{schoolSourcedId}/classes/{classSourcedId}/students", "users", Collection, User, Roster, students_for_class_in_school, &[SCHOOL, CLASS_OF_SCHOOL]),
    op("getTeachersForClassInSchool", "/schools/{schoolSourcedId}/classes/{classSourcedId}/teachers", "users", Collection, User, Roster, teachers_for_class_in_school, &[SCHOOL, CLASS_OF_SCHOOL]),
    op("getCoursesForSchool", "/schools/{schoolSourcedId}/courses", "courses", Collection, Course, Roster, courses_for_school, &[SCHOOL]),
    op("getEnrollmentsForSchool", "/schools/{schoolSourcedId}/enrollments", "enrollments", Collection, Enrollment, Roster, enrollments_for_school, &[SCHOOL]),
    op("getStudentsForSchool", "/schools/{schoolSourcedId}/students", "users", Collection, User, Roster, students_for_school, &[SCHOOL]),
    op("getTeachersForSchool", "/schools/{schoolSourcedId}/teachers", "users", Collection, User, Roster, teachers_for_school, &[SCHOOL]),
    op("getTermsForSchool", "/schools/{schoolSourcedId}/terms", "academicSessions", Collection, AcademicSession, Roster, terms_for_school, &[SCHOOL]),
    op("getAllStudents", "/students", "users", Collection, User, Core, students, &[]),
    op("getStudent", "/students/{sourcedId}", "user", Single, User, Core, students, &[]),
    op("getClassesForStudent", "/students/{studentSourcedId}/classes", "classes", Collection, Class, Roster, classes_for_user, &[STUDENT]),
    op("getAllTeachers", "/teachers", "users", Collection, User, Core, teachers, &[]),
    op("getTeacher", "/teachers/{sourcedId}", "user", Single, User, Core, teachers, &[]),
    op("getClassesForTeacher", "/teachers/{teacherSourcedId}/classes", "classes", Collection, Class, Roster, classes_for_user, &[TEACHER]),
    op("getAllTerms", "/terms", "academicSessions", Collection, AcademicSession, Core, terms, &[]),
    op("getTerm", "/terms/{sourcedId}", "academicSession", Single, AcademicSession, Core, terms, &[]),
    op("getClassesForTerm", "/terms/{termSourcedId}/classes", "classes", Collection, Class, Roster, classes_for_term, &[TERM]),
    op("getGradingPeriodsForTerm", "/terms/{termSourcedId}/gradingPeriods", "academicSessions", Collection, AcademicSession, Roster, grading_periods_for_term, &[TERM]),
    op("getAllUsers", "/users", "users", Collection, User, Core, none, &[]),
    op("getUser", "/users/{sourcedId}", "user", Single, User, Core, none, &[]),
    op("getClassesForUser", "/users/{userSourcedId}/classes", "classes", Collection, Class, Roster, classes_for_user, &[USER]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_paths_are_unique() {
        let mut ids: Vec<_> = OPERATIONS.iter().map(|o| o.id).collect();
        let mut paths: Vec<_> = OPERATIONS.iter().map(|o| o.path).collect();
        ids.sort_unstable();
        ids.dedup();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!((ids.len(), paths.len()), (41, 41));
    }

    #[test]
    fn singles_end_in_sourced_id_and_nested_reads_need_roster() {
        for op in &OPERATIONS {
            let nested = op.path.matches('{').count() > usize::from(op.shape == Shape::Single);
            if op.shape == Shape::Single {
                assert!(op.path.ends_with("/{sourcedId}"), "{}", op.id);
            }
            if nested {
                assert_eq!(op.requirement, Requirement::Roster, "{}", op.id);
            }
        }
    }

    #[test]
    fn every_nested_parameter_names_a_parent() {
        for op in &OPERATIONS {
            let params = op.path.matches('{').count() - usize::from(op.shape == Shape::Single);
            assert_eq!(op.parents.len(), params, "{}", op.id);
        }
    }

    #[test]
    fn nested_restrictions_use_the_path_parameters() {
        let ids = ["s1".to_owned(), "c1".to_owned()];
        let restrictions = students_for_class_in_school(&ids);
        assert_eq!(
            restrictions,
            vec![Restriction::Enrolled {
                role: Some("student"),
                class: Some("c1".into()),
                school: Some("s1".into())
            }]
        );
    }
}
