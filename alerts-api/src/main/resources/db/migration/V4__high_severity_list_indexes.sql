-- Issue #5: "severity=HIGH" (HIGH and CRITICAL, about a quarter of all alerts) is the security team's everyday list.
-- With only the general (detected_at, id) indexes PostgreSQL walked the newest alerts of every severity and fetched
-- each row from the table to check its severity: about four table rows read per row returned, and with the alerts
-- of a month spread over the table most of them from different pages. These partial indexes hold only HIGH and
-- CRITICAL alerts in page order, so such a page reads just its own rows. The list query writes the minimum severity
-- as a literal (one of four) so that the planner can match it against the index predicate.
CREATE INDEX alerts_high_detected_idx ON alerts (detected_at DESC, id DESC) WHERE severity_rank >= 2;
-- the same within one rule (?rule=...&severity=HIGH), the other common triage list
CREATE INDEX alerts_high_rule_detected_idx ON alerts (rule, detected_at DESC, id DESC) WHERE severity_rank >= 2;
