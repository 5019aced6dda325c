-- Least privilege for the service (SQL Server): the database role oneroster_reader may SELECT the
-- OneRoster views and the two WebServicesSettings columns the token endpoint reads, and nothing
-- else. The views and the tables they read share the owner dbo, so ownership chaining lets the
-- role read through the views without any permission on the tables. Idempotent.
--
-- The login itself holds a secret, so no script creates it. Once per server and database, with
-- the password that the tenant configuration's dataSource.password holds:
--   CREATE LOGIN ums_oneroster_reader WITH PASSWORD = N'<from the vault>', CHECK_POLICY = ON;
--   CREATE USER ums_oneroster_reader FOR LOGIN ums_oneroster_reader WITH DEFAULT_SCHEMA = dbo;
--   ALTER ROLE oneroster_reader ADD MEMBER ums_oneroster_reader;
-- `ums-oneroster db check` run with that login confirms the result (views readable, no tables).

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
GO

IF DATABASE_PRINCIPAL_ID(N'oneroster_reader') IS NULL
    CREATE ROLE oneroster_reader AUTHORIZATION dbo;
GO

GRANT SELECT ON OBJECT::dbo.oneroster_orgs TO oneroster_reader;
GRANT SELECT ON OBJECT::dbo.oneroster_academic_sessions TO oneroster_reader;
GRANT SELECT ON OBJECT::dbo.oneroster_courses TO oneroster_reader;
GRANT SELECT ON OBJECT::dbo.oneroster_classes TO oneroster_reader;
GRANT SELECT ON OBJECT::dbo.oneroster_users TO oneroster_reader;
GRANT SELECT ON OBJECT::dbo.oneroster_enrollments TO oneroster_reader;
GRANT SELECT ON OBJECT::dbo.oneroster_demographics TO oneroster_reader;
GRANT SELECT ON OBJECT::dbo.oneroster_class_terms TO oneroster_reader;
GRANT SELECT ON OBJECT::dbo.oneroster_user_orgs TO oneroster_reader;
GRANT SELECT ON OBJECT::dbo.oneroster_user_agents TO oneroster_reader;
-- SELECT Password FROM WebServicesSettings WHERE UserName = @P1: these two columns only.
GRANT SELECT ON OBJECT::dbo.WebServicesSettings (UserName, Password) TO oneroster_reader;
GO
