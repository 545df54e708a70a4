-- carepost PostgreSQL schema, version 7: a code by text message for the secure portal.
--
-- The recipient's mobile number (given by the sender in `X-Carepost-Portal-Sms`) is PHI:
-- it arrives sealed with its own data key (associated data: the copy id and "/sms"), so a
-- dump of this database shows no number. It is kept apart from `portal_copies` so listing
-- copies never reads it.
CREATE TABLE portal_sms_numbers (
    copy   UUID  NOT NULL,
    sealed BYTEA NOT NULL,
    CONSTRAINT "portal_sms_numbers.copy" PRIMARY KEY (copy),
    CONSTRAINT "portal_sms_numbers.copy_fk" FOREIGN KEY (copy) REFERENCES portal_copies (id)
);

-- How each code was sent; a code sent by text message verifies with the method `sms`.
ALTER TABLE portal_codes ADD COLUMN channel TEXT NOT NULL DEFAULT 'email'
    CONSTRAINT "portal_codes.channel" CHECK (channel IN ('email', 'sms'));
