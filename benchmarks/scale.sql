-- Hand-written SQL for benchmarks/scale.py: the victims, support and justice tables of
-- the annual report, as an analyst would write them, one GROUP BY per table shape.
-- The same file runs on SQLite and PostgreSQL (standard SQL, window functions).
--
-- Each statement starts with "-- name: <name>" and returns rows of dimension columns
-- followed by the counted values. scale.py sums those cells per figure of the
-- catalogue and checks them equal to the report's figures.
--
-- Parameters (:name): y_start/y_end = the report year's first and last day,
-- p_start = the first day of the previous year, next_start = the next year's first
-- day, at = a date (pending cases), majority = the profile's age of majority, home =
-- the profile's country.

-- name: victims_core
-- Decisions of the year by status, report group, sex, citizenship, primary form
-- (override first) and combination of forms.
SELECT c.status,
       CASE WHEN c.age_at_identification < :majority THEN 'minors'
            WHEN p.sex = 'male' THEN 'men'
            WHEN p.sex = 'female' THEN 'women'
            ELSE 'sex_other_or_unknown' END AS grp,
       p.sex,
       p.citizenship,
       COALESCE(NULLIF(c.primary_form_override, ''), NULLIF(c.primary_form, ''), 'unknown') AS form,
       c.exploitation_key AS exploitation,
       COUNT(*) AS n
FROM victims_case c JOIN victims_person p ON p.id = c.person_id
WHERE c.status IN ('recognised', 'not_recognised')
  AND c.decided_on BETWEEN :y_start AND :y_end
GROUP BY 1, 2, 3, 4, 5, 6;

-- name: victims_age
-- Decisions of the year by status, group, sex and age at identification.
SELECT c.status,
       CASE WHEN c.age_at_identification < :majority THEN 'minors'
            WHEN p.sex = 'male' THEN 'men'
            WHEN p.sex = 'female' THEN 'women'
            ELSE 'sex_other_or_unknown' END AS grp,
       p.sex,
       c.age_at_identification AS age,
       COUNT(*) AS n
FROM victims_case c JOIN victims_person p ON p.id = c.person_id
WHERE c.status IN ('recognised', 'not_recognised')
  AND c.decided_on BETWEEN :y_start AND :y_end
GROUP BY 1, 2, 3, 4;

-- name: victims_profile
-- Decisions of the year by status and one profile field at a time.
SELECT status, 'recruitment' AS dim, recruitment_method AS code, COUNT(*) AS n
FROM victims_case
WHERE status IN ('recognised', 'not_recognised') AND decided_on BETWEEN :y_start AND :y_end
GROUP BY 1, 2, 3
UNION ALL
SELECT status, 'education', education, COUNT(*)
FROM victims_case
WHERE status IN ('recognised', 'not_recognised') AND decided_on BETWEEN :y_start AND :y_end
GROUP BY 1, 2, 3
UNION ALL
SELECT status, 'referral', referral_channel, COUNT(*)
FROM victims_case
WHERE status IN ('recognised', 'not_recognised') AND decided_on BETWEEN :y_start AND :y_end
GROUP BY 1, 2, 3;

-- name: victims_injured
-- Victims decided in the year or the one before and recognised as injured parties in
-- the year, by status, citizenship and combination of forms.
SELECT c.status, p.citizenship, c.exploitation_key AS exploitation, COUNT(*) AS n
FROM victims_case c JOIN victims_person p ON p.id = c.person_id
WHERE c.status IN ('recognised', 'not_recognised')
  AND c.decided_on BETWEEN :p_start AND :y_end
  AND c.injured_party_on BETWEEN :y_start AND :y_end
GROUP BY 1, 2, 3;

-- name: victims_places
-- Decisions of the year by status, group and place of exploitation (country, region;
-- NULL: none recorded), each case once per place.
SELECT c.status,
       CASE WHEN c.age_at_identification < :majority THEN 'minors'
            WHEN p.sex = 'male' THEN 'men'
            WHEN p.sex = 'female' THEN 'women'
            ELSE 'sex_other_or_unknown' END AS grp,
       pl.country,
       pl.region,
       COUNT(DISTINCT c.id) AS n
FROM victims_case c
JOIN victims_person p ON p.id = c.person_id
LEFT JOIN victims_caseplace pl ON pl.case_id = c.id
WHERE c.status IN ('recognised', 'not_recognised')
  AND c.decided_on BETWEEN :y_start AND :y_end
GROUP BY 1, 2, 3, 4;

-- name: victims_trends
-- Decisions of the year by status, sex, citizenship (foreign or not) and each trends
-- dimension: vulnerability factor, any factor, online recruitment platform, visa or
-- posting route, transit country, any transit country; a case once per code.
WITH decided AS (
    SELECT c.id, c.status, c.recruitment_platform, c.migration_route, p.sex,
           CASE WHEN p.citizenship = :home THEN 0 ELSE 1 END AS foreign_citizen
    FROM victims_case c JOIN victims_person p ON p.id = c.person_id
    WHERE c.status IN ('recognised', 'not_recognised')
      AND c.decided_on BETWEEN :y_start AND :y_end
)
SELECT d.status, d.sex, d.foreign_citizen, 'factor' AS dim, v.factor AS code, COUNT(*) AS n
FROM decided d JOIN victims_casevulnerability v ON v.case_id = d.id
GROUP BY d.status, d.sex, d.foreign_citizen, v.factor
UNION ALL
SELECT d.status, d.sex, d.foreign_citizen, 'any_factor', '', COUNT(*)
FROM decided d
WHERE EXISTS (SELECT 1 FROM victims_casevulnerability v WHERE v.case_id = d.id)
GROUP BY d.status, d.sex, d.foreign_citizen
UNION ALL
SELECT status, sex, foreign_citizen, 'platform', recruitment_platform, COUNT(*)
FROM decided WHERE recruitment_platform <> ''
GROUP BY status, sex, foreign_citizen, recruitment_platform
UNION ALL
SELECT status, sex, foreign_citizen, 'route', migration_route, COUNT(*)
FROM decided WHERE migration_route <> ''
GROUP BY status, sex, foreign_citizen, migration_route
UNION ALL
SELECT d.status, d.sex, d.foreign_citizen, 'transit', t.country, COUNT(DISTINCT d.id)
FROM decided d JOIN victims_casetransit t ON t.case_id = d.id
GROUP BY d.status, d.sex, d.foreign_citizen, t.country
UNION ALL
SELECT d.status, d.sex, d.foreign_citizen, 'any_transit', '', COUNT(*)
FROM decided d
WHERE EXISTS (SELECT 1 FROM victims_casetransit t WHERE t.case_id = d.id)
GROUP BY d.status, d.sex, d.foreign_citizen;

-- name: support_funding
-- State funding: planned for the year, spent in the year (services and other costs),
-- planned for the next year.
SELECT (SELECT COALESCE(SUM(planned_eur), 0) FROM support_fundingcontract
        WHERE year = :year) AS planned,
       (SELECT COALESCE(SUM(cost_eur), 0) FROM support_servicedelivery
        WHERE delivered_on BETWEEN :y_start AND :y_end)
     + (SELECT COALESCE(SUM(amount_eur), 0) FROM support_othereligiblecost
        WHERE incurred_on BETWEEN :y_start AND :y_end) AS spent,
       (SELECT COALESCE(SUM(planned_eur), 0) FROM support_fundingcontract
        WHERE year = :year + 1) AS planned_next_year;

-- name: support_compensation
-- State compensation paid in the year: persons and the total.
SELECT COUNT(DISTINCT case_id) AS persons, COALESCE(SUM(amount_eur), 0) AS total
FROM support_statecompensation
WHERE paid_on BETWEEN :y_start AND :y_end;

-- name: justice_proceedings
-- Proceedings started in the year, by section and form of exploitation.
SELECT s.code, pr.exploitation_form AS form, COUNT(DISTINCT pr.id) AS n
FROM justice_proceeding pr JOIN justice_proceedingsection s ON s.proceeding_id = pr.id
WHERE pr.started_on BETWEEN :y_start AND :y_end
GROUP BY 1, 2;

-- name: justice_injured
-- Injured parties of the proceedings started in the year, recognised by its end.
SELECT s.code, ip.sex, ip.citizenship, COUNT(*) AS n
FROM justice_injuredparty ip
JOIN justice_proceeding pr ON pr.id = ip.proceeding_id
JOIN justice_proceedingsection s ON s.proceeding_id = pr.id
WHERE pr.started_on BETWEEN :y_start AND :y_end AND ip.recognised_on <= :y_end
GROUP BY 1, 2, 3;

-- name: justice_suspects
-- Suspects of the proceedings started in the year, recognised by its end.
SELECT s.code, su.sex, su.citizenship, COUNT(*) AS n
FROM justice_suspect su
JOIN justice_proceeding pr ON pr.id = su.proceeding_id
JOIN justice_proceedingsection s ON s.proceeding_id = pr.id
WHERE pr.started_on BETWEEN :y_start AND :y_end AND su.suspected_on <= :y_end
GROUP BY 1, 2, 3;

-- name: justice_convicted
-- Persons whose first conviction under a section falls in the year, by sex and
-- citizenship, with their sentences (the first conviction's).
WITH ranked AS (
    SELECT jp.suspect_id, jp.section, j.delivered_on, jp.deprivation_months,
           jp.deprivation_conditional, jp.probation_months, jp.fine_eur,
           ROW_NUMBER() OVER (PARTITION BY jp.suspect_id, jp.section
                              ORDER BY j.delivered_on, j.id, jp.id) AS rn
    FROM justice_judgmentperson jp JOIN justice_judgment j ON j.id = jp.judgment_id
    WHERE jp.outcome = 'convicted'
)
SELECT r.section AS code, su.sex, su.citizenship,
       COUNT(DISTINCT r.suspect_id) AS persons,
       COUNT(DISTINCT CASE WHEN r.deprivation_months IS NOT NULL AND r.deprivation_conditional
                           THEN r.suspect_id END) AS conditional_persons,
       MIN(CASE WHEN r.deprivation_months IS NOT NULL AND r.deprivation_conditional
                THEN r.deprivation_months END) AS conditional_min,
       MAX(CASE WHEN r.deprivation_months IS NOT NULL AND r.deprivation_conditional
                THEN r.deprivation_months END) AS conditional_max,
       COUNT(DISTINCT CASE WHEN r.deprivation_months IS NOT NULL AND NOT r.deprivation_conditional
                           THEN r.suspect_id END) AS real_persons,
       MIN(CASE WHEN r.deprivation_months IS NOT NULL AND NOT r.deprivation_conditional
                THEN r.deprivation_months END) AS real_min,
       MAX(CASE WHEN r.deprivation_months IS NOT NULL AND NOT r.deprivation_conditional
                THEN r.deprivation_months END) AS real_max,
       COUNT(DISTINCT CASE WHEN r.probation_months IS NOT NULL THEN r.suspect_id END)
           AS probation_persons,
       COUNT(DISTINCT CASE WHEN r.fine_eur IS NOT NULL THEN r.suspect_id END) AS fine_persons,
       SUM(r.fine_eur) AS fine_total
FROM ranked r JOIN justice_suspect su ON su.id = r.suspect_id
WHERE r.rn = 1 AND r.delivered_on BETWEEN :y_start AND :y_end
GROUP BY 1, 2, 3;

-- name: justice_stages
-- Stage events of the year by section and kind: proceedings, events, persons.
SELECT s.code, e.kind, COUNT(DISTINCT e.proceeding_id) AS proceedings,
       COUNT(DISTINCT e.id) AS events, COUNT(DISTINCT sp.suspect_id) AS persons
FROM justice_stageevent e
JOIN justice_proceedingsection s ON s.proceeding_id = e.proceeding_id
LEFT JOIN justice_stageevent_persons sp ON sp.stageevent_id = e.id
WHERE e."on" BETWEEN :y_start AND :y_end
GROUP BY 1, 2;

-- name: justice_pending
-- Cases pending before each court level just before :at (received more often than
-- examined), by section.
SELECT code, level, COUNT(*) AS n FROM (
    SELECT s.code,
           CASE WHEN e.kind IN ('first_instance_received', 'first_instance_examined')
                THEN 'first_instance'
                WHEN e.kind IN ('appeal_received', 'appeal_examined') THEN 'appeal'
                ELSE 'cassation' END AS level,
           e.proceeding_id,
           SUM(CASE WHEN e.kind IN ('first_instance_received', 'appeal_received',
                                    'cassation_received') THEN 1 ELSE -1 END) AS balance
    FROM justice_stageevent e
    JOIN justice_proceedingsection s ON s.proceeding_id = e.proceeding_id
    WHERE e."on" < :at
      AND e.kind IN ('first_instance_received', 'first_instance_examined', 'appeal_received',
                     'appeal_examined', 'cassation_received', 'cassation_examined')
    GROUP BY 1, 2, 3
) balances
WHERE balance > 0
GROUP BY 1, 2;

-- name: justice_property
-- Value of the property arrested in the year, by section and kind.
SELECT s.code, a.kind, SUM(a.value_eur) AS value
FROM justice_propertyarrest a JOIN justice_proceedingsection s ON s.proceeding_id = a.proceeding_id
WHERE a.arrested_on BETWEEN :y_start AND :y_end
GROUP BY 1, 2;

-- name: justice_non_punishment
-- Non-punishment decisions of the year by outcome and legal basis.
SELECT outcome, legal_basis, COUNT(*) AS n
FROM justice_nonpunishmentdecision
WHERE decided_on BETWEEN :y_start AND :y_end
GROUP BY 1, 2;
