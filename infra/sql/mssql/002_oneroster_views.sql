-- The OneRoster views (SQL Server): the data contract of docs/data-contract.md over the reference
-- UMS schema in 001_ums_schema.sql. Twin of infra/sql/sqlite/002_oneroster_views.sql: same view
-- and column names, same rows. Types: dateLastModified datetime2(3) UTC, dates as date, flags as
-- int 0/1, lists as comma-separated text.
--
-- Written for the optimizer: status is the base row's indexed computed Status column; lookups of
-- referenced sourcedIds are LEFT JOINs on primary keys, which the optimizer removes when a query
-- does not use them (they join on primary keys); the only inner join in an entity view is
-- the Teams-template rule on classes and enrollments.

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
GO

-- Orgs: the municipality is the district; schools hang below it.
CREATE OR ALTER VIEW dbo.oneroster_orgs AS
SELECT i.ExternalId        AS sourcedId,
       i.Status            AS status,
       i.ModifiedAt        AS dateLastModified,
       i.Name              AS name,
       CAST(CASE i.InstitutionType WHEN N'Kommune' THEN 'district' ELSE 'school' END AS varchar(8)) AS type,
       i.InstitutionNumber AS identifier,
       parent.ExternalId   AS parentSourcedId
  FROM dbo.Institutions i
  LEFT JOIN dbo.Institutions parent ON parent.Id = i.ParentId;
GO

-- School years, their halves (term) and the grading period inside each half.
-- schoolYear is the year in which the school year ends ('2026-2027' -> '2027').
CREATE OR ALTER VIEW dbo.oneroster_academic_sessions AS
SELECT y.ExternalId                           AS sourcedId,
       y.Status                               AS status,
       y.ModifiedAt                           AS dateLastModified,
       CAST(y.Name AS nvarchar(200))          AS title,
       CAST('schoolYear' AS varchar(13))      AS type,
       y.StartDate                            AS startDate,
       y.EndDate                              AS endDate,
       CAST(YEAR(y.EndDate) AS varchar(4))    AS schoolYear,
       CAST(NULL AS varchar(64))              AS parentSourcedId
  FROM dbo.SchoolYears y
UNION ALL
SELECT p.ExternalId                           AS sourcedId,
       p.Status                               AS status,
       p.ModifiedAt                           AS dateLastModified,
       p.Name                                 AS title,
       CAST(CASE p.PeriodType WHEN N'Halvår' THEN 'term' ELSE 'gradingPeriod' END AS varchar(13)) AS type,
       p.StartDate                            AS startDate,
       p.EndDate                              AS endDate,
       CAST(YEAR(y.EndDate) AS varchar(4))    AS schoolYear,
       COALESCE(pp.ExternalId, y.ExternalId)  AS parentSourcedId
  FROM dbo.Periods p
  LEFT JOIN dbo.SchoolYears y ON y.Id = p.SchoolYearId
  LEFT JOIN dbo.Periods pp ON pp.Id = p.ParentPeriodId;
GO

CREATE OR ALTER VIEW dbo.oneroster_courses AS
SELECT c.ExternalId  AS sourcedId,
       c.Status      AS status,
       c.ModifiedAt  AS dateLastModified,
       c.Title       AS title,
       c.CourseCode  AS courseCode,
       y.ExternalId  AS schoolYearSourcedId,
       i.ExternalId  AS orgSourcedId,
       CAST(CASE WHEN c.GradeLevel IS NULL THEN NULL
                 WHEN c.GradeLevel = 0 THEN 'KG'
                 ELSE RIGHT('0' + CAST(c.GradeLevel AS varchar(2)), 2) END AS varchar(2)) AS grades,
       c.Subject     AS subjects,
       c.SubjectCode AS subjectCodes
  FROM dbo.Courses c
  LEFT JOIN dbo.SchoolYears y ON y.Id = c.SchoolYearId
  LEFT JOIN dbo.Institutions i ON i.Id = c.InstitutionId;
GO

-- Classes: only groups whose template has an Office 365 Teams template.
CREATE OR ALTER VIEW dbo.oneroster_classes AS
SELECT g.ExternalId  AS sourcedId,
       g.Status      AS status,
       g.ModifiedAt  AS dateLastModified,
       g.Name        AS title,
       g.GroupCode   AS classCode,
       CAST(CASE t.OrganizationType WHEN N'stamklasse' THEN 'homeroom' ELSE 'scheduled' END AS varchar(9)) AS classType,
       g.Location    AS location,
       CAST(CASE WHEN g.GradeLevel IS NULL THEN NULL
                 WHEN g.GradeLevel = 0 THEN 'KG'
                 ELSE RIGHT('0' + CAST(g.GradeLevel AS varchar(2)), 2) END AS varchar(2)) AS grades,
       c.Subject     AS subjects,
       c.SubjectCode AS subjectCodes,
       CAST(NULL AS nvarchar(200)) AS periods,
       c.ExternalId  AS courseSourcedId,
       i.ExternalId  AS schoolSourcedId
  FROM dbo.Groups g
  JOIN dbo.GroupTemplates t ON t.Id = g.TemplateId AND t.TeamsTemplate IS NOT NULL
  LEFT JOIN dbo.Courses c ON c.Id = g.CourseId
  LEFT JOIN dbo.Institutions i ON i.Id = g.InstitutionId;
GO

-- One row per person; Danish roles mapped to OneRoster roles by the computed OneRosterRole.
CREATE OR ALTER VIEW dbo.oneroster_users AS
SELECT p.ExternalId            AS sourcedId,
       p.Status                AS status,
       p.ModifiedAt            AS dateLastModified,
       p.UserName              AS username,
       CAST(p.Enabled AS int)  AS enabledUser,
       p.GivenName             AS givenName,
       p.FamilyName            AS familyName,
       p.MiddleName            AS middleName,
       p.OneRosterRole         AS role,
       p.LocalPersonId         AS identifier,
       p.Email                 AS email,
       p.Mobile                AS sms,
       p.Phone                 AS phone,
       CAST(CASE WHEN p.GradeLevel IS NULL THEN NULL
                 WHEN p.GradeLevel = 0 THEN 'KG'
                 ELSE RIGHT('0' + CAST(p.GradeLevel AS varchar(2)), 2) END AS varchar(2)) AS grades
  FROM dbo.Persons p;
GO

-- One row per membership of a Teams-enabled group.
CREATE OR ALTER VIEW dbo.oneroster_enrollments AS
SELECT m.ExternalId             AS sourcedId,
       m.Status                 AS status,
       m.ModifiedAt             AS dateLastModified,
       p.ExternalId             AS userSourcedId,
       g.ExternalId             AS classSourcedId,
       i.ExternalId             AS schoolSourcedId,
       CAST(CASE m.Role WHEN N'Elev' THEN 'student' ELSE 'teacher' END AS varchar(7)) AS role,
       CAST(m.IsPrimary AS int) AS [primary],
       m.BeginDate              AS beginDate,
       m.EndDate                AS endDate
  FROM dbo.GroupMembers m
  JOIN dbo.Groups g ON g.Id = m.GroupId
  JOIN dbo.GroupTemplates t ON t.Id = g.TemplateId AND t.TeamsTemplate IS NOT NULL
  LEFT JOIN dbo.Persons p ON p.Id = m.PersonId
  LEFT JOIN dbo.Institutions i ON i.Id = g.InstitutionId;
GO

-- Demographics for everyone with a known birth date or sex (the students); sourcedId = the user's.
CREATE OR ALTER VIEW dbo.oneroster_demographics AS
SELECT p.ExternalId AS sourcedId,
       p.Status     AS status,
       p.ModifiedAt AS dateLastModified,
       p.BirthDate  AS birthDate,
       CAST(CASE p.Sex WHEN 'M' THEN 'male' WHEN 'K' THEN 'female' END AS varchar(6)) AS sex,
       CAST(NULL AS int)          AS americanIndianOrAlaskaNative,
       CAST(NULL AS int)          AS asian,
       CAST(NULL AS int)          AS blackOrAfricanAmerican,
       CAST(NULL AS int)          AS nativeHawaiianOrOtherPacificIslander,
       CAST(NULL AS int)          AS white,
       CAST(NULL AS int)          AS demographicRaceTwoOrMoreRaces,
       CAST(NULL AS int)          AS hispanicOrLatinoEthnicity,
       CAST(NULL AS nvarchar(10)) AS countryOfBirthCode,
       CAST(NULL AS nvarchar(10)) AS stateOfBirthAbbreviation,
       CAST(NULL AS nvarchar(100)) AS cityOfBirth,
       CAST(NULL AS nvarchar(50)) AS publicSchoolResidenceStatus
  FROM dbo.Persons p
 WHERE p.BirthDate IS NOT NULL OR p.Sex IS NOT NULL;
GO

-- class.terms[]: the live halves of the group's school year (also for tombstoned classes, so every
-- class row keeps at least one term).
CREATE OR ALTER VIEW dbo.oneroster_class_terms AS
SELECT g.ExternalId AS classSourcedId,
       p.ExternalId AS termSourcedId
  FROM dbo.Groups g
  JOIN dbo.GroupTemplates t ON t.Id = g.TemplateId AND t.TeamsTemplate IS NOT NULL
  JOIN dbo.Periods p ON p.SchoolYearId = g.SchoolYearId AND p.PeriodType = N'Halvår' AND p.Deleted = 0;
GO

-- user.orgs[]: live affiliations; a tombstoned person keeps all of theirs, so even a person whose
-- affiliations were removed before the person still lists at least one org.
CREATE OR ALTER VIEW dbo.oneroster_user_orgs AS
SELECT p.ExternalId AS userSourcedId,
       i.ExternalId AS orgSourcedId
  FROM dbo.PersonInstitutions a
  JOIN dbo.Persons p ON p.Id = a.PersonId
  JOIN dbo.Institutions i ON i.Id = a.InstitutionId
 WHERE a.Deleted = 0 OR p.Deleted = 1;
GO

-- user.agents[] in both directions: the student lists the guardian, the guardian the student.
CREATE OR ALTER VIEW dbo.oneroster_user_agents AS
SELECT s.ExternalId AS userSourcedId,
       c.ExternalId AS agentSourcedId
  FROM dbo.ContactRelations r
  JOIN dbo.Persons s ON s.Id = r.StudentId
  JOIN dbo.Persons c ON c.Id = r.ContactId
 WHERE r.Deleted = 0
UNION ALL
SELECT c.ExternalId AS userSourcedId,
       s.ExternalId AS agentSourcedId
  FROM dbo.ContactRelations r
  JOIN dbo.Persons s ON s.Id = r.StudentId
  JOIN dbo.Persons c ON c.Id = r.ContactId
 WHERE r.Deleted = 0;
GO
