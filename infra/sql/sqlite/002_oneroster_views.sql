-- The OneRoster views (SQLite): the data contract of docs/data-contract.md over the reference UMS
-- schema in 001_ums_schema.sql. The service only names these views and their columns.
--
-- Written so SQLite can flatten them into the service's queries:
--   * no GROUP BY / DISTINCT in the entity views; compound selects only in the two small ones
--     (academicSessions, user_agents), where SQLite pushes WHERE terms into each arm;
--   * lookups of referenced sourcedIds are LEFT JOINs on primary keys, which SQLite drops when a
--     query does not use the column, and turns into inner joins when a query filters on it;
--   * status is the base row's generated Status column (indexed with ExternalId), never a join.
-- The only inner join in an entity view is the Teams-template rule on classes and enrollments.

-- Orgs: the municipality is the district; schools hang below it.
CREATE VIEW oneroster_orgs AS
SELECT i.ExternalId         AS sourcedId,
       i.Status             AS status,
       i.ModifiedAt         AS dateLastModified,
       i.Name               AS name,
       CASE i.InstitutionType WHEN 'Kommune' THEN 'district' ELSE 'school' END AS type,
       i.InstitutionNumber  AS identifier,
       parent.ExternalId    AS parentSourcedId
  FROM Institutions i
  LEFT JOIN Institutions parent ON parent.Id = i.ParentId;

-- School years, their halves (term) and the grading period inside each half.
-- schoolYear is the year in which the school year ends ('2026-2027' -> '2027').
CREATE VIEW oneroster_academic_sessions AS
SELECT y.ExternalId            AS sourcedId,
       y.Status                AS status,
       y.ModifiedAt            AS dateLastModified,
       y.Name                  AS title,
       'schoolYear'            AS type,
       y.StartDate             AS startDate,
       y.EndDate               AS endDate,
       substr(y.EndDate, 1, 4) AS schoolYear,
       NULL                    AS parentSourcedId
  FROM SchoolYears y
UNION ALL
SELECT p.ExternalId            AS sourcedId,
       p.Status                AS status,
       p.ModifiedAt            AS dateLastModified,
       p.Name                  AS title,
       CASE p.PeriodType WHEN 'Halvår' THEN 'term' ELSE 'gradingPeriod' END AS type,
       p.StartDate             AS startDate,
       p.EndDate               AS endDate,
       substr(y.EndDate, 1, 4) AS schoolYear,
       coalesce(pp.ExternalId, y.ExternalId) AS parentSourcedId
  FROM Periods p
  LEFT JOIN SchoolYears y ON y.Id = p.SchoolYearId
  LEFT JOIN Periods pp ON pp.Id = p.ParentPeriodId;

CREATE VIEW oneroster_courses AS
SELECT c.ExternalId  AS sourcedId,
       c.Status      AS status,
       c.ModifiedAt  AS dateLastModified,
       c.Title       AS title,
       c.CourseCode  AS courseCode,
       y.ExternalId  AS schoolYearSourcedId,
       i.ExternalId  AS orgSourcedId,
       CASE WHEN c.GradeLevel IS NULL THEN NULL
            WHEN c.GradeLevel = 0 THEN 'KG'
            ELSE printf('%02d', c.GradeLevel) END AS grades,
       c.Subject     AS subjects,
       c.SubjectCode AS subjectCodes
  FROM Courses c
  LEFT JOIN SchoolYears y ON y.Id = c.SchoolYearId
  LEFT JOIN Institutions i ON i.Id = c.InstitutionId;

-- Classes: only groups whose template has an Office 365 Teams template.
CREATE VIEW oneroster_classes AS
SELECT g.ExternalId  AS sourcedId,
       g.Status      AS status,
       g.ModifiedAt  AS dateLastModified,
       g.Name        AS title,
       g.GroupCode   AS classCode,
       CASE t.OrganizationType WHEN 'stamklasse' THEN 'homeroom' ELSE 'scheduled' END AS classType,
       g.Location    AS location,
       CASE WHEN g.GradeLevel IS NULL THEN NULL
            WHEN g.GradeLevel = 0 THEN 'KG'
            ELSE printf('%02d', g.GradeLevel) END AS grades,
       c.Subject     AS subjects,
       c.SubjectCode AS subjectCodes,
       NULL          AS periods,
       c.ExternalId  AS courseSourcedId,
       i.ExternalId  AS schoolSourcedId
  FROM Groups g
  JOIN GroupTemplates t ON t.Id = g.TemplateId AND t.TeamsTemplate IS NOT NULL
  LEFT JOIN Courses c ON c.Id = g.CourseId
  LEFT JOIN Institutions i ON i.Id = g.InstitutionId;

-- One row per person; Danish roles mapped to OneRoster roles by the generated OneRosterRole.
CREATE VIEW oneroster_users AS
SELECT p.ExternalId    AS sourcedId,
       p.Status        AS status,
       p.ModifiedAt    AS dateLastModified,
       p.UserName      AS username,
       p.Enabled       AS enabledUser,
       p.GivenName     AS givenName,
       p.FamilyName    AS familyName,
       p.MiddleName    AS middleName,
       p.OneRosterRole AS role,
       p.LocalPersonId AS identifier,
       p.Email         AS email,
       p.Mobile        AS sms,
       p.Phone         AS phone,
       CASE WHEN p.GradeLevel IS NULL THEN NULL
            WHEN p.GradeLevel = 0 THEN 'KG'
            ELSE printf('%02d', p.GradeLevel) END AS grades
  FROM Persons p;

-- One row per membership of a Teams-enabled group.
CREATE VIEW oneroster_enrollments AS
SELECT m.ExternalId AS sourcedId,
       m.Status     AS status,
       m.ModifiedAt AS dateLastModified,
       p.ExternalId AS userSourcedId,
       g.ExternalId AS classSourcedId,
       i.ExternalId AS schoolSourcedId,
       CASE m.Role WHEN 'Elev' THEN 'student' ELSE 'teacher' END AS role,
       m.IsPrimary  AS "primary",
       m.BeginDate  AS beginDate,
       m.EndDate    AS endDate
  FROM GroupMembers m
  JOIN Groups g ON g.Id = m.GroupId
  JOIN GroupTemplates t ON t.Id = g.TemplateId AND t.TeamsTemplate IS NOT NULL
  LEFT JOIN Persons p ON p.Id = m.PersonId
  LEFT JOIN Institutions i ON i.Id = g.InstitutionId;

-- Demographics for everyone with a known birth date or sex (the students); sourcedId = the user's.
CREATE VIEW oneroster_demographics AS
SELECT p.ExternalId AS sourcedId,
       p.Status     AS status,
       p.ModifiedAt AS dateLastModified,
       p.BirthDate  AS birthDate,
       CASE p.Sex WHEN 'M' THEN 'male' WHEN 'K' THEN 'female' END AS sex,
       NULL AS americanIndianOrAlaskaNative,
       NULL AS asian,
       NULL AS blackOrAfricanAmerican,
       NULL AS nativeHawaiianOrOtherPacificIslander,
       NULL AS white,
       NULL AS demographicRaceTwoOrMoreRaces,
       NULL AS hispanicOrLatinoEthnicity,
       NULL AS countryOfBirthCode,
       NULL AS stateOfBirthAbbreviation,
       NULL AS cityOfBirth,
       NULL AS publicSchoolResidenceStatus
  FROM Persons p
 WHERE p.BirthDate IS NOT NULL OR p.Sex IS NOT NULL;

-- class.terms[]: the live halves of the group's school year (also for tombstoned classes, so
-- every class row keeps at least one term).
CREATE VIEW oneroster_class_terms AS
SELECT g.ExternalId AS classSourcedId,
       p.ExternalId AS termSourcedId
  FROM Groups g
  JOIN GroupTemplates t ON t.Id = g.TemplateId AND t.TeamsTemplate IS NOT NULL
  JOIN Periods p ON p.SchoolYearId = g.SchoolYearId AND p.PeriodType = 'Halvår' AND p.Deleted = 0;

-- user.orgs[]: live affiliations. A tombstoned person keeps all of theirs, so that even a person
-- whose affiliations were removed before the person still lists at least one org.
CREATE VIEW oneroster_user_orgs AS
SELECT p.ExternalId AS userSourcedId,
       i.ExternalId AS orgSourcedId
  FROM PersonInstitutions a
  JOIN Persons p ON p.Id = a.PersonId
  JOIN Institutions i ON i.Id = a.InstitutionId
 WHERE a.Deleted = 0 OR p.Deleted = 1;

-- user.agents[] in both directions: the student lists the guardian, the guardian the student.
CREATE VIEW oneroster_user_agents AS
SELECT s.ExternalId AS userSourcedId,
       c.ExternalId AS agentSourcedId
  FROM ContactRelations r
  JOIN Persons s ON s.Id = r.StudentId
  JOIN Persons c ON c.Id = r.ContactId
 WHERE r.Deleted = 0
UNION ALL
SELECT c.ExternalId AS userSourcedId,
       s.ExternalId AS agentSourcedId
  FROM ContactRelations r
  JOIN Persons s ON s.Id = r.StudentId
  JOIN Persons c ON c.Id = r.ContactId
 WHERE r.Deleted = 0;
