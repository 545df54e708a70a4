-- carepost SQLite schema, version 7: a code by text message for the secure portal.
--
-- The recipient's mobile number (given by the sender in `X-Carepost-Portal-Sms`) is PHI:
-- it arrives sealed with its own data key (associated data: the copy id and "/sms"), so a
-- copy of this file shows no number. It is kept apart from `portal_copies` so listing
-- copies never reads it.
CREATE TABLE portal_sms_numbers (
    copy   TEXT NOT NULL PRIMARY KEY REFERENCES portal_copies (id),
    sealed BLOB NOT NULL
);

-- How each code was sent; a code sent by text message verifies with the method `sms`.
ALTER TABLE portal_codes ADD COLUMN channel TEXT NOT NULL DEFAULT 'email'
    CHECK (channel IN ('email', 'sms'));
