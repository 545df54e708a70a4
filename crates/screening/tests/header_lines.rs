//! The body is read with the message's header lines, and weak evidence counts only beside
//! words about care in another part: the gateway reads a message the way the detector's
//! accuracy is measured (whole e-mails, headers first).

use screening::Screener;

/// A patient writing from her own mailbox about her delivery: her name and mailbox are in the
/// `From:` line, the body names no one by a rule that says whose. Read alone the body is
/// weak evidence; with its header lines it is a patient's mail.
const PATIENT_FROM_HOME: &[u8] = b"From: Ines Valderrama <ivalderrama77@gmail.com>\r\n\
To: delivery@willowcreekinfusion.example\r\n\
Date: Wed, 5 Nov 2025 08:14:09 -0800\r\n\
Subject: friday delivery\r\n\r\n\
hi its ines (tpn). can my delivery friday come after 3? i have my GI appt friday morning and\r\n\
wont be home, my husband works till 5.\r\n\r\n\
also i only got 4 of the lipid bags last week not 6. just so u know\r\n\r\n\
thanks\r\nines\r\n503-555-0139\r\n";

/// Two colleagues swapping Saturdays: dates and names, no patient. The words "appt" and
/// "clinic" elsewhere in the body were enough, before, to count the weak evidence.
const SHIFT_SWAP: &[u8] = b"From: Jessamyn Kowal <jkowal@lakeviewclinic.example>\r\n\
To: Dorothea Albers <dalbers@lakeviewclinic.example>\r\n\
Date: Wed, 5 Nov 2025 09:41:02 -0600\r\n\
Subject: swap 11/22 sat for 11/29 sat?\r\n\r\n\
Hi Dorothea - Rhiannon and I want to swap Saturdays, I'd take 11/29 and she'd take 11/22.\r\n\
Both of us stay under 40 hrs that pay period. ok?\r\n\r\n\
Jess\r\n\r\n\
p.s. the clinic calendar still shows the old holiday hours, and the new appt reminder\r\n\
template goes live Monday. The vendor says the text wording cannot change before January,\r\n\
so leave the old one on the website until then. Facilities also asked for the key to the\r\n\
storage room on 2 before Friday.\r\n";

#[test]
fn a_patient_writing_from_her_own_mailbox_is_phi() {
    let v = Screener::new().screen(PATIENT_FROM_HOME);
    assert!(v.phi, "{v:?}");
}

#[test]
fn a_shift_swap_with_care_words_far_from_its_names_and_dates_is_not_phi() {
    let v = Screener::new().screen(SHIFT_SWAP);
    assert!(!v.phi, "{v:?}");
}
