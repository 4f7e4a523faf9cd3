-- A table as a later migration (V10+) would add it: nothing about grants, the grant step must cover it.
CREATE TABLE later_feed (
    id   bigserial PRIMARY KEY,
    note text NOT NULL
);
