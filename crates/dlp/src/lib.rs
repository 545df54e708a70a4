//! PHI detector: finds HIPAA Safe Harbor identifiers and clinical items in e-mail text.
//!
//! **Does:** scans one `&str` and returns [`Finding`]s — a [`Label`], byte and code-point offsets,
//! a score, the rule that fired and why — plus a document verdict ([`ScanResult::contains_phi`]).
//! Candidates come from one multi-pattern pass (`regex-automata`'s lazy DFAs for all patterns
//! at once, `hybrid::regex::Regex::new_many`, driven by `rules::patterns`), one
//! keyword-automaton pass for context keywords ("MRN", "Member ID", "Claim #", ...) and vendor
//! business words together (the `aho-corasick` DFA, copied into a compact table), and one pass
//! over word tokens (drug and name dictionaries are hash lookups); ownership (patient versus
//! clinic/staff/newsletter) is decided from whole-word context
//! words in a window around each candidate, from the signature block, from mail structure (reply
//! attribution lines and quoted headers date the mail, not care; a job title after a name, a
//! clinic name on or above a phone or address line and a toll-free number mean staff or an
//! organisation), and from checksums (NPI Luhn over `80840`, DEA check digit, VIN check digit,
//! ICD-10-CM code list). The document verdict weighs evidence: one strong finding makes a
//! message PHI; weak ones (a name from the name lists alone, a number after "phone") only in a
//! message that speaks of someone's care (see [`ScanResult::contains_phi`]), so staff, vendor
//! and newsletter mail full of colleagues' names is not PHI. Some strong evidence is demoted to
//! weak by where it stands: a birth date or a relative's name in mail to a whole group, and the
//! writer's own mailbox, name and signature in mail to or from an office that does not deal
//! with care (careers, volunteers, foundation, facilities, security, ...).
//!
//! Every message is put to a small logistic regression over its words and the rules that fired
//! (`weak_verdict.rs`, weights in `data/weak_verdict.tsv`, trained offline on the style corpus
//! by `testdata/train_weak_verdict.py`; [`WeakVerdict`]), except one with more than
//! [`STRONG_FINDINGS_JUDGED`] strong findings. It can take the rules' PHI verdict back when it
//! is nearly sure the message is staff mail (ten times surer on strong evidence), and give a
//! PHI verdict the rules did not when the words speak of a patient ("pt Ochoa chest
//! pain, family not here yet") though no identifier was found or none counted: on new
//! customers' mail the rules miss most often where a patient is named only by a surname the
//! lists lack or by an ID of a shape no rule knows.
//!
//! In a message called PHI, a second small logistic regression ([`person_model`], weights in
//! `data/person_model.tsv`, trained by `testdata/train_person_model.py` on the style corpus's
//! gold names) reads each capitalised word, and each word of the name lists, that no finding
//! covers and that is no everyday word, and adds the PERSON findings it reads as names: patients
//! named where no rule has a cue ("Rider: Delacroix, Amari", "hey its mike"). It never changes
//! the verdict. On twelve customers' days it was not trained on, PERSON F1 went from 0.803 to
//! 0.835; it costs 27% more instructions on the dev corpus (BENCHMARKS.md, section 3,
//! "Session 36").
//!
//! **Does not:** do I/O, decode MIME/HTML/attachments (the caller hands it text), or decide
//! what to do about PHI (policy does). Accuracy is measured on a synthetic corpus
//! (`tests/dev_corpus.rs`); real mail will be worse.
//!
//! **Security:** a [`Finding`] never stores the matched value — only offsets — so `Debug` on a
//! finding or a result cannot leak PHI, and this crate logs nothing. The caller owns the text and
//! decides how to mask it (see `carepost scan`). Patient text flows in, offsets flow out.
//! Runs in whichever process scans mail (gateway or worker); needs no keys and no storage.
//!
//! **Data** (embedded with `include_str!`, nothing is fetched at run time; see `data/README.md`):
//! US Census 1990 first-name and surname frequency lists (public domain, via the MIT-licensed
//! PyPI package `names` 0.3.0), the CMS ICD-10-CM April 2026 code list (public domain, via the
//! MIT-licensed PyPI package `simple-icd-10-cm` 1.5.0), and drug names from the MIT-licensed PyPI
//! package `drug-named-entity-recognition` 2.0.9 (entries with a MedlinePlus or NHS record, plus
//! canonical DrugBank drugs with an article and a structure, plus a hand-picked list; see
//! `data/README.md`).
//!
//! **Accuracy** on `testdata/dev.jsonl` (synthetic, the corpus it was tuned on): document recall
//! 0.997 (1.000 before the weak-verdict model, which takes back a patient newsletter's
//! "Dear Ms. Jones"), false-positive rate 0.000, typed span F1 0.999 (every label >= 0.99); the floors in
//! `tests/dev_corpus.rs` are the issue's targets. On `testdata/styles.jsonl` (17,430 e-mails by
//! four hundred and thirty-six other authors in styles the dev corpus lacks, see
//! `testdata/styles/README.md`): sets D to SL were written blind and scored once before any
//! rule was generalised against them;
//! their blind scores (false-positive rate, typed F1) were D 0.600 / 0.766, E 0.471 / 0.684, F
//! 0.294 / 0.775 (recall 0.957), G 0.588 / 0.755, H 0.588 / 0.827, I 0.529 / 0.818, J 0.412 /
//! 0.786, K 0.529 / 0.832, L 0.353 / 0.856, M 0.059 / 0.890, N 0.529 / 0.750 (recall 0.957), O
//! 0.471 / 0.746 (recall 0.913), P 0.235 / 0.906, Q 0.176 / 0.755, R 0.118 / 0.906, S 0.176 /
//! 0.819 (recall 0.957), T 0.471 / 0.770, U 0.824 / 0.757, V 0.235 / 0.894, W 0.412 / 0.818,
//! X 0.059 / 0.923, Y 0.118 / 0.830 (recall 0.957), Z 0.000 / 0.875, AA 0.059 / 0.914 (recall
//! 0.913), AB 0.118 / 0.885, AC 0.235 / 0.782 (recall 0.783), AD 0.118 / 0.841 (recall 0.957),
//! AE 0.176 / 0.855, AF 0.176 / 0.872 (recall 0.957), AG 0.118 / 0.904, AH 0.000 / 0.909 (recall
//! 0.957), AI 0.059 / 0.854 (recall 0.957), AJ 0.176 / 0.852 (recall 0.870), AK 0.176 / 0.837
//! (recall 0.957), AL 0.235 / 0.864, AN 0.118 / 0.872 (recall 0.957), AO 0.412 / 0.837, AQ
//! 0.059 / 0.940, AR 0.176 / 0.900, AS 0.294 / 0.842, AT 0.118 / 0.879, AU 0.353 / 0.853
//! (recall 0.957), AV 0.000 / 0.911, AW 0.118 / 0.864, AX 0.176 / 0.829, AY 0.412 / 0.814
//! (recall 0.957), AZ 0.059 / 0.893 (recall 0.957), BA 0.471 / 0.806, BC 0.118 / 0.893, BD
//! 0.176 / 0.777 (recall 0.957), BF 0.000 / 0.889 (recall 0.957), BG 0.059 / 0.890, BH 0.059 /
//! 0.916, BI 0.059 / 0.901, BJ 0.000 / 0.908, BL 0.000 / 0.887 (recall 0.957), BM 0.176 /
//! 0.923, BN 0.000 / 0.900 (recall 0.957), BO 0.059 / 0.876, BP 0.059 / 0.906, BR 0.059 /
//! 0.935, BS 0.000 / 0.936, BT 0.000 / 0.913 (recall 0.957), BU 0.059 / 0.891, BV 0.000 /
//! 0.948, BX 0.118 / 0.914, BY 0.118 / 0.891, BZ 0.000 / 0.930 (recall 0.957), CA 0.059 /
//! 0.867 (recall 0.957), CB 0.176 / 0.897, CD 0.118 / 0.818, CE 0.000 / 0.898, CF 0.000 /
//! 0.954, CG 0.000 / 0.923, CH 0.176 / 0.884, CJ 0.000 / 0.873 (recall 0.957), CK 0.059 /
//! 0.909, CL 0.000 / 0.810 (recall 0.870), CM 0.000 / 0.902, CN 0.176 / 0.818 (recall 0.913)
//! CP 0.000 / 0.934, CQ 0.000 / 0.898, CR 0.000 / 0.925 (recall 0.957), CS 0.000 / 0.887
//! (recall 0.957), CT 0.059 / 0.888 (recall 0.957), DA 0.059 / 0.926, DB 0.118 / 0.920, DD
//! 0.059 / 0.956, DE 0.000 / 0.934 (recall 0.957), DG 0.059 / 0.939 (recall 0.957), DH 0.000 /
//! 0.960 (recall 0.957), DI 0.000 / 0.913, DK 0.059 / 0.948, DM 0.059 / 0.964, DN 0.118 /
//! 0.904, DO 0.000 / 0.876 (recall 0.957), DQ 0.118 / 0.935, DR 0.000 / 0.904, DS 0.176 /
//! 0.904 (recall 0.957), DU 0.059 / 0.928 (recall 0.957), DV 0.059 / 0.872 (recall 0.957), DW
//! 0.176 / 0.887, DY 0.059 / 0.863, EA 0.059 / 0.892, EB 0.000 / 0.912, ED 0.000 / 0.935, EE
//! 0.118 / 0.845, EF 0.059 / 0.925 (recall 0.957), EH 0.118 / 0.936, EI 0.059 / 0.915 (recall
//! 0.957), EJ 0.118 / 0.858, EL 0.059 / 0.916, EM 0.176 / 0.881, EN 0.000 / 0.933 (recall 0.957),
//! EP 0.118 / 0.908, EQ 0.059 / 0.939, ER 0.000 / 0.889, ET 0.000 / 0.925, EU 0.118 / 0.935, EV
//! 0.000 / 0.909 (recall 0.957), EX 0.118 / 0.922, EY 0.000 / 0.950, FB 0.059 / 0.886, FC 0.059 /
//! 0.944, FD 0.235 / 0.896 (recall 0.957), FE 0.000 / 0.929, FF 0.000 / 0.930, FH 0.000 / 0.920, FI
//! 0.000 / 0.920, FJ 0.059 / 0.973, FL 0.000 / 0.920 (recall 0.957), FM 0.059 / 0.951, FN 0.000 /
//! 0.926, FO 0.059 / 0.894 (recall 0.957), FP 0.118 / 0.893 (recall 0.957), FS 0.294 / 0.847, FT
//! 0.000 / 0.918 (recall 0.913), FU 0.059 / 0.918 (recall 0.957), FV 0.176 / 0.943, FX 0.000 /
//! 0.940, FY 0.000 / 0.940 (recall 0.957), FZ 0.000 / 0.902, GB 0.118 / 0.932 (recall 0.957), GC
//! 0.059 / 0.907 (recall 0.913), GD 0.118 / 0.931, GE 0.000 / 0.966, GG 0.059 / 0.921, GH 0.059 /
//! 0.919, GI 0.235 / 0.888, GK 0.000 / 0.920, GL 0.176 / 0.831 (recall 0.913), GM 0.000 / 0.894, GN
//! 0.000 / 0.908 (recall 0.870), GO 0.118 / 0.889 (recall 0.957), GQ 0.000 / 0.809 (recall 0.913),
//! GR 0.000 / 0.864, GT 0.000 / 0.856 (recall 0.957), GV 0.059 / 0.913, GW 0.000 / 0.924, GY 0.059
//! / 0.941, GZ 0.059 / 0.932, HA 0.000 / 0.845, HB 0.235 / 0.897, HC 0.059 / 0.945, HD 0.118 /
//! 0.936, HE 0.118 / 0.887, HF 0.059 / 0.921 (recall 0.957), HG 0.118 / 0.861 (recall 0.957),
//! HH 0.059 / 0.916, HI 0.000 / 0.939 (recall 0.957), HJ 0.118 / 0.931, HK 0.000 / 0.905, HL
//! 0.118 / 0.897 (recall 0.957), HM 0.000 / 0.917 (recall 0.957), HN 0.118 / 0.909, HO 0.118 /
//! 0.874 (recall 0.957), HP 0.059 / 0.968, HQ 0.000 / 0.949, HR 0.118 / 0.911, HS 0.118 / 0.890 (recall 0.957), HT
//! 0.000 / 0.883, HU 0.000 / 0.830 (recall 0.870), HV 0.000 / 0.921 (recall 0.870), HW 0.176 /
//! 0.954, HX 0.000 / 0.933 (recall 0.957), HY 0.059 / 0.897 (recall 0.957), HZ 0.118 / 0.935,
//! IA 0.059 / 0.960, IB 0.000 / 0.921, IC 0.000 / 0.950, ID 0.059 / 0.934 (recall 0.957), II 0.000 / 0.863 (recall
//! 0.826), IJ 0.000 / 0.951, IK 0.059 / 0.886 (recall 0.957), IL 0.059 / 0.940, IM 0.059 / 0.929,
//! IN 0.059 / 0.937, IO 0.059 / 0.942, IP 0.000 / 0.963, IQ 0.000 / 0.895 (recall 0.957), IR
//! 0.000 / 0.930 (recall 0.957), IS 0.235 / 0.914, IT 0.059 / 0.794 (recall 0.957), IU 0.118 /
//! 0.879, IV 0.000 / 0.956 (recall 0.957), IW 0.000 / 0.915, IX 0.000 / 0.900 (recall 0.913), IY
//! 0.000 / 0.917, IZ 0.118 / 0.906 (recall 0.957), JA 0.118 / 0.913, JB 0.000 / 0.931 (recall
//! 0.957), JC 0.118 / 0.874, JD 0.000 / 0.967, JE 0.000 / 0.968, JF 0.059 / 0.932, JG 0.000 /
//! 0.977, JH 0.000 / 0.956, JI 0.000 / 0.960, JJ 0.000 / 0.952, JK 0.000 / 0.935 (recall 0.957),
//! JL 0.059 / 0.947, JM 0.118 / 0.960, JN 0.000 / 0.957, JO 0.059 / 0.880 (recall 0.957), JP
//! 0.000 / 0.935 (recall 0.957), JQ 0.059 / 0.939, JR 0.000 / 0.863 (recall 0.913), JS 0.000 /
//! 0.931, JT 0.059 / 0.961, JU 0.000 / 0.967, JV 0.059 / 0.937 (recall 0.957), JW 0.059 / 0.939,
//! JX 0.059 / 0.937, JY 0.059 / 0.943, JZ 0.059 / 0.952, KA 0.000 / 0.940, KB 0.059 / 0.955, KC
//! 0.059 / 0.907, KD 0.059 / 0.958, KE 0.000 / 0.942 (recall 0.957), KF 0.000 / 0.925, KG 0.059 /
//! 0.908, KH 0.118 / 0.871 (recall 0.870), KI 0.000 / 0.942 (recall 0.957), KJ 0.000 / 0.916, KK
//! 0.000 / 0.930, KL 0.000 / 0.926, KM 0.000 / 0.979, KN 0.000 / 0.938, KO 0.000 / 0.937, KP 0.059 /
//! 0.948, KQ 0.000 / 0.933 (recall 0.957), KR 0.059 / 0.927, KS 0.059 / 0.870, KT 0.000 / 0.910
//! (recall 0.957), KU 0.059 / 0.963, KV 0.000 / 0.951, KW 0.000 / 0.876 (recall 0.870), KX 0.059 /
//! 0.862 (recall 0.913), KY 0.000 / 0.933, KZ 0.059 / 0.901, LA 0.000 / 0.899 (recall 0.957), LB
//! 0.059 / 0.911, LC 0.059 / 0.937, LD 0.059 / 0.880, LE 0.118 / 0.909, LF 0.176 / 0.891, LG 0.059
//! / 0.901 (recall 0.957), LH 0.118 / 0.911, LI 0.059 / 0.924, LJ 0.118 / 0.844, LK 0.000 / 0.934
//! (recall 0.957), LL 0.059 / 0.879 (recall 0.913), LM 0.000 / 0.936 (recall 0.913), LN 0.000 /
//! 0.921, LO 0.059 / 0.885, LP 0.000 / 0.927 (recall 0.957), LQ 0.000 / 0.929, LR 0.000 / 0.921
//! (recall 0.957), LS 0.059 / 0.872 (recall 0.913), LT 0.000 / 0.953, LU 0.059 / 0.939, LV 0.059 /
//! 0.869 (recall 0.957), LW 0.294 / 0.855, LX 0.059 / 0.824 (recall 0.957), LY 0.059 / 0.915, LZ
//! 0.176 / 0.903, MA 0.118 / 0.826 (recall 0.957), MB 0.118 / 0.796 (recall 0.913), MC 0.059 /
//! 0.912 (recall 0.957), MD 0.059 / 0.925, ME 0.000 / 0.890 (recall 0.957), MF 0.176 / 0.904
//! (recall 0.957), MG 0.000 / 0.945, MH 0.059 / 0.952, MI 0.059 / 0.919 (recall 0.913), MJ 0.118
//! / 0.883, MK 0.118 / 0.899, ML 0.059 / 0.853 (recall 0.957), MM 0.118 / 0.868, MN 0.000 / 0.880
//! (recall 0.957), MO 0.000 / 0.942, MP 0.000 / 0.784 (recall 0.826), MQ 0.000 / 0.796 (recall
//! 0.826), MR 0.176 / 0.903, MS 0.118 / 0.872 (recall 0.913), MT 0.118 / 0.919, MU 0.059 / 0.872,
//! MV 0.059 / 0.920 (recall 0.957), MW 0.118 / 0.808 (recall 0.913), MX 0.118 / 0.852 (recall
//! 0.913), NE 0.000 / 0.901 (recall 0.957), NF 0.000 / 0.909, NG 0.000 / 0.902 (recall 0.957),
//! NH 0.000 / 0.922 (recall 0.957), NI 0.059 / 0.944, NJ 0.000 / 0.919, NK 0.059 / 0.941, NL
//! 0.059 / 0.903 (recall 0.957), NM 0.000 / 0.896, NN 0.000 / 0.954, NO 0.059 / 0.908, NP 0.000 /
//! 0.886, NQ 0.059 / 0.903, NR 0.000 / 0.895 (recall 0.957), NS 0.176 / 0.892, NT 0.000 / 0.916,
//! NU 0.000 / 0.912 (recall 0.913), NV 0.000 / 0.903 (recall 0.957), OC 0.059 / 0.945, OD
//! 0.000 / 0.909 (recall 0.913), OE 0.176 / 0.845 (recall 0.870), OF 0.118 / 0.921, OG 0.176 /
//! 0.936, OH 0.059 / 0.923 (recall 0.957), OI 0.059 / 0.890, OJ 0.000 / 0.933, OK 0.000 /
//! 0.870, OL 0.059 / 0.919 (recall 0.957), OM 0.059 / 0.873 (recall 0.870), ON 0.059 / 0.892
//! (recall 0.957), OO 0.000 / 0.886 (recall 0.957), OP 0.000 / 0.923 (recall 0.957), OQ 0.000 /
//! 0.957, OR 0.000 / 0.934 (recall 0.957), OS 0.000 / 0.907 (recall 0.870), OT 0.118 / 0.892,
//! PA 0.000 / 0.940, PB 0.176 / 0.913, PC 0.059 / 0.895 (recall 0.870), PD 0.059 / 0.867 (recall
//! 0.957), PE 0.118 / 0.890, PF 0.059 / 0.940, PG 0.059 / 0.926, PH 0.059 / 0.908 (recall 0.957),
//! PI 0.000 / 0.952, PJ 0.118 / 0.931 (recall 0.957),
//! PK 0.118 / 0.932, PL 0.059 / 0.894, PM 0.118 / 0.919 (recall 0.957), PO 0.059 / 0.911 (recall
//! 0.957), PP 0.176 / 0.887, PS 0.000 / 0.932, PT 0.000 / 0.955, PU 0.118 / 0.903, PV 0.059 /
//! 0.925, PW 0.118 / 0.885, PX 0.118 / 0.894 (recall 0.957), PY 0.059 / 0.883, PZ 0.235 / 0.886, QA
//! 0.118 / 0.922, QB 0.118 / 0.918 (recall 0.957), QC 0.000 / 0.942, QD 0.059 / 0.828, QE 0.000 /
//! 0.902, QF 0.059 / 0.947, QG 0.176 / 0.873 (recall 0.957), QH 0.059 / 0.893 (recall 0.913), QI
//! 0.059 / 0.798 (recall 0.913), QJ 0.059 / 0.912, QK 0.059 / 0.880, QL 0.059 / 0.832, QM 0.176 /
//! 0.859 (recall 0.913), QN 0.059 / 0.915 (recall 0.957), QO 0.059 / 0.880, QP 0.059 / 0.925, QQ
//! 0.059 / 0.871 (recall 0.957), QR 0.118 / 0.814 (recall 0.696), QS 0.118 / 0.881, QT 0.000 /
//! 0.943, QU 0.000 / 0.907, QV 0.000 / 0.834 (recall 0.913), QW 0.059 /
//! 0.950, QX 0.000 / 0.916, QY 0.059 / 0.941, QZ 0.000 / 0.918 (recall 0.957), RA 0.353 / 0.818
//! (recall 0.957), RB 0.000 / 0.939, RC 0.059 / 0.935 (recall 0.957), RD 0.118 / 0.951, RE
//! 0.000 / 0.901 (recall 0.957), RF 0.000 / 0.904 (recall 0.957), RG 0.059 / 0.956, RH 0.059 /
//! 0.902 (recall 0.957), RI 0.176 / 0.899, RJ 0.000 / 0.885, RK 0.059 / 0.932 (recall 0.957), RL
//! 0.059 / 0.916 (recall 0.957), RM 0.000 / 0.886 (recall 0.957), RN 0.118 / 0.931, RO 0.000 / 0.962, RP 0.000 / 0.878 (recall
//! 0.913), RQ 0.059 / 0.908 (recall 0.957), RS 0.059 / 0.917, RT 0.059 / 0.917, RU 0.118 / 0.908, RV 0.059 / 0.901 (recall 0.957), RW
//! 0.000 / 0.867 (recall 0.913), RX 0.059 / 0.889, RY 0.000 / 0.944, RZ 0.059 / 0.900, SA 0.059 /
//! 0.907 (recall 0.957), SB 0.000 / 0.934, SC 0.059 / 0.878 (recall 0.957), SD 0.118 / 0.895, SE
//! 0.000 / 0.938, SF 0.000 / 0.862 (recall 0.957), SG 0.000 / 0.949, SH 0.059 / 0.866 (recall 0.957), SI
//! 0.118 / 0.896, SJ 0.000 / 0.870 (recall 0.913), SK 0.000 / 0.944, SL 0.000 / 0.851
//! (T: long staff-vendor threads full of signatures; U: private people writing to a hospital's
//! offices about anything but care; V to AG: the most representative day of a health system's,
//! a home-care agency's, a physician group's, a behavioral-health centre's, a health plan's, a
//! billing company's, a community health centre's, a small clinic's, a home health and hospice
//! agency's, a pediatric practice's, an urgent care group's, an OB-GYN practice's, an
//! orthopedic practice's, a specialty pharmacy's, a dialysis provider's, an eye practice's, a
//! dermatology practice's, a behavioral-health practice's, a physical-therapy company's, a
//! cardiology practice's, a hospital case-management department's, a clinical laboratory's, an
//! emergency department's, a dental practice's, a community pharmacy's, an ambulatory surgery
//! centre's, a telehealth company's, a hospital records department's, an oncology practice's,
//! a patient access call centre's, an opioid treatment program's, a fertility clinic's, a
//! hospice's, a GI and endoscopy practice's, a billing company's, a home-medical-equipment
//! supplier's, an imaging centre's, a student health centre's, a neurology practice's, an
//! assisted living community's, a urology practice's, a PACE program's, a sleep centre's, a
//! wound care centre's, a psychiatric hospital's, a home infusion pharmacy's, a
//! rheumatology practice's, a bariatric program's, a transplant centre's, a podiatry
//! practice's, a county health department's, a genetic counseling clinic's, a pediatric therapy
//! clinic's, an interventional radiology department's, a walk-in clinic chain's, a Medicaid
//! plan's care management team's, a private-duty nursing agency's, an addiction treatment
//! centre's, a children's hospital's clinics', a clinical research site's, a school-based
//! health centre's, a medical staff office's, an endocrinology centre's, a hospital at home
//! program's, a residency clinic's, an organ procurement office's, a correctional health
//! contractor's, a radiation oncology centre's, a chiropractic and PT group's, an HIV clinic's,
//! a community health centre's, a cardiothoracic surgery practice's, a pulmonology and allergy
//! practice's, a medical examiner's, a plastic surgery practice's, a hematology-oncology
//! practice's, a reference laboratory's, a workers' compensation case management firm's, a
//! telehealth company's, a health information exchange's, a scribe company's, a long-term
//! acute care hospital's, a farmworker health program's, a hospital quality department's, an
//! interpreter agency's, a nurse home-visiting program's, a cancer center's navigation
//! office's, a health plan's appeals department's, a school district's nursing office's, a
//! wheelchair seating clinic's, a hospital's central scheduling department's, a child mental
//! health clinic's, a travel nurse agency's, a chaplaincy's, a cardiac device company's field
//! team's, a home health intake department's, a county ambulance service's, an outpatient
//! rehabilitation network's, a patient experience office's, a long-term care pharmacy's, a
//! pediatric cardiology practice's, an anesthesiology group's, a memory clinic's and, in
//! session 16, forty-two more: a GI practice's, a blood bank's, an ENT practice's, a mobile X-ray
//! company's, a direct primary care practice's, a neurology practice's, a maternal-fetal
//! medicine practice's, a device maker's reimbursement hub's, a hospital nutrition service's, a
//! sports medicine clinic's, a hospital pharmacy's, an oral surgery practice's, an infection
//! prevention department's, a critical access hospital's, a hospital-at-home program's, a
//! documentation integrity team's, an insurer's fraud unit's, a pelvic health practice's, a hand
//! surgery practice's, a pediatric urgent care chain's, a foster care health unit's, a nurse
//! triage line's, an employer's on-site clinic's, a hyperbaric wound centre's, a nephrology
//! practice's, a Medicaid plan's utilization management nurses', a pediatric therapy clinic's, a
//! geriatric care management firm's, an opioid treatment program's, a hospital's environmental
//! services and transport dispatch's, a travel clinic's, an adolescent residential treatment
//! centre's, a specimen courier's, a hospital school program's, a neonatal transport team's
//! a Medicaid fair hearings office's, a stroke program's, a sickle cell centre's, a cancer
//! registry's, a house-call practice's, a paramedical exam company's, an ethics service's, an
//! audiology practice's, a seating and mobility clinic's, a tribal health clinic's, a student
//! health centre's, an organ procurement organization's, a pediatric dental practice's, a
//! lactation service's, a long-term care pharmacy's, a medically tailored meals program's, a
//! prosthetics clinic's, a pathology group's, a doula collective's, a veterans' home's, an
//! anticoagulation clinic's, a telepsychiatry company's, a home modification program's, a
//! clinical engineering department's, a WIC program's, an ABA therapy provider's, a travel nurse
//! agency's, a hospital food service's, an addiction treatment centre's, a NICU
//! follow-up clinic's, a mobile mammography program's, a urology practice's, an independent
//! medical examination company's, a community paramedicine program's, a gender-affirming care
//! clinic's, an employee health office's, a childhood cancer survivorship clinic's, a university
//! speech and hearing centre's, a health plan's pharmacy prior authorization desk's, an ambulance
//! district's billing office's, a Mohs surgery practice's, an inpatient psychiatric unit's, an
//! orthodontic practice's, a refugee clinic's, a palliative care team's, a vein clinic's, a
//! newborn screening program's, an adult day health centre's, an optometry practice's, a
//! workers' compensation insurer's nurse case managers', an assertive community treatment
//! team's, a driver rehabilitation program's, a teleradiology group's, a county jail health
//! unit's, an allergy practice's, a personal care aide program's, a rheumatology practice's, a
//! sleep centre's, a pediatric forms and vaccine desk's, an endocrinology centre's, an ENT and
//! audiology practice's, a release-of-information desk's, a Ryan White HIV clinic's, a rural
//! urgent care and occupational medicine clinic's, a pediatric neurology practice's, an employer's
//! onsite clinic's, a street medicine program's, a bariatric program's, an interventional pain
//! practice's, an integrative medicine clinic's, an allergy and asthma practice's, a neurology and
//! epilepsy practice's, a hospital's patient relations office's, a long-term acute care hospital's,
//! a VA community care clinic's, a university's student health and counseling centre's, a wound
//! care and hyperbaric centre's, an infection prevention department's, a skilled nursing
//! facility's business office's, an adult speech-language pathology practice's, an eating
//! disorder program's, a coding and documentation integrity team's, a pediatric diabetes
//! clinic's, a critical access hospital's emergency department's, a pediatric nurse triage
//! line's, a Medicaid plan's member services', a cardiac and pulmonary rehabilitation program's,
//! a county crisis line's, a hearing aid practice's, a rehabilitation medicine practice's, a
//! private-duty home care agency's, a hospital blood bank's, a college athletics department's
//! sports medicine staff's, a rural health clinic's, an oral surgery practice's, a school
//! district's nurses', a Medicaid ride broker's, a jail's health team's, an accountable care
//! organisation's care coordinators', a health plan's provider relations', a hospital's clinical
//! nutrition department's, a tribal clinic's, a refugee clinic's, a long-term care pharmacy's, an
//! ambulance billing company's, an inpatient psychiatric unit's, a WIC office's, a mobile
//! mammography program's, a hemophilia centre's, a dermatopathology lab's, a medical
//! examiner's office's, an employee health office's, a home oxygen supplier's, a perinatal and
//! pediatric palliative care program's, a sickle cell clinic's, a medical staff office's, a
//! farmworker health program's, a travel nurse agency's, a chaplaincy's, a sexual assault nurse
//! examiner program's, an interpreter services department's, an adult day health centre's, a
//! remote patient monitoring service's, a self-funded plans' administrator's, a NICU follow-up
//! clinic's, a school-based health centre's, a palliative care consult service's, a memory care
//! community's, a Medicaid pharmacy prior authorization unit's, a TMS and ketamine clinic's, a
//! clinical engineering department's, a pediatric cardiology practice's, a jail's mental health
//! and MAT program's, an occupational health chain's, a wound and ostomy nursing team's, a
//! community paramedicine program's, a financial assistance office's, a hospital's utilization
//! review department's, an employee assistance program's, a clinical research site's, a
//! house-calls practice's, a genetic testing lab's, a coding and CDI team's, an independent
//! medical examination firm's, a pediatric complex care program's, a patient relations office's,
//! a Medicaid plan's community health workers', an employer's on-site clinic's, an operating
//! room scheduling office's, a medical-legal partnership's, a dietitians' practice's, a
//! long-term care pharmacy's, a cardiac rehabilitation program's, a vision plan's member
//! services', a free clinic's, a hospital's palliative and hospice liaison nurses', a home sleep
//! testing and CPAP supplier's, a county tuberculosis control program's, an orthopaedic
//! practice's workers' compensation coordinators', a pediatric sedation dentistry practice's and
//! an infusion benefits investigation team's, a Medicare Advantage plan's appeals and grievances
//! unit's, a NICU's discharge coordinators', a podiatry group's, a hospital's bed management
//! office's, a pharmacy benefit manager's prescriber call centre's, an adolescent residential
//! treatment program's, an allergy practice's, a gastroenterology practice's, an ambulance
//! billing company's, a cardiology service's, a urology practice's, a neurology practice's, a
//! rheumatology practice's, a hospital billing office's and a hand therapy clinic's outbound
//! mail the authors could write); the code of before rounds six to one hundred and eighteen
//! scores J to LZ lower in most sets. All 20,070 now (batches 23 and 24 joined in session 36,
//! batch 25 in session 37): recall 0.9997 (4 of 11,551 missed) and false-positive rate
//! 0.0059 (50 of 8,519) with the weak-verdict model retrained with them, which gives a PHI
//! verdict the rules did not and takes back some on strong evidence; that is in-sample, the
//! model having been trained on this corpus: grouped by author, eight folds, it comes to 0.9919
//! (94 missed) and 0.0141 (120) (session 36's on 19,830: 0.9922 and 0.0146; session 35's on the
//! 19,350: 0.9930 and 0.0138, against 0.9858 and 0.0141 for session 34's); on batch 23, six new
//! customers' days held out from all training and tuning then, recall went from 0.913 to 0.978
//! and the false-positive rate stayed 0.039; on batch 25, written in session 36, 0.957 and
//! 0.029; on batch 26 (`testdata/heldout/`), written in session 37, 0.978 and 0.039 at first
//! contact and 0.986 and 0.039 after that session's rules and retraining (typed span F1 0.917 to
//! 0.920, PERSON 0.843 to 0.850). The rules alone miss 155
//! (0.986: a
//! small
//! clinic's replies to patients at a local provider's domain the rules cannot tell from a
//! company's, with no word about care they know; a supplier's shipping notice forwarded with
//! "fyi supplies for Pettit"; a pre-employment physical booked for a job applicant; schedules
//! and order lists naming patients by surname only where no bullet or time starts the line;
//! staff writing among themselves about a patient whose name the name lists do not know; a
//! fertility clinic's monitoring schedule by "Surname, I."; a psychiatric unit's bed board by
//! initials; a research site's deviation report and hand-off by subject number and
//! surname; a medical staff office's chart-pull tables; a resident's precepting note naming
//! a patient the name lists do not know; an organ donor by donor number only; a long-term
//! acute care unit's weaning numbers by room and surname; a farmworker program's interpreter
//! requests by names the lists do not know; a seating clinic's call-back note by surname; a
//! child clinic's risk flag by a first name the lists do not know; an intake note by a
//! lower-case surname; since session 16 also surname-only dispatch and hand-off notes, an
//! isolation list in capitals with chart numbers and no word about care the rules know, a
//! fraud unit's records request naming members by title and surname, a nurse line's fix by case
//! number and surname, an athlete by a first name the lists lack, and an employer clinic's
//! restriction and fit-test tables of employees by name and badge number, a residential unit's
//! precautions list by indented "Surname, I" items and its outing list by first name and
//! initial, a hospital school's service log under "Student:", a 504 plan for a child the name
//! lists do not know, a courier's frozen specimen numbers alone on their lines; round 109 found
//! three more, named by a given name and a surname the lists lack before what the person did;
//! a tissue bank's shipment notice for a deceased donor by donor number, a pathologist's recut
//! list by case number, a chaplain's memorial notice for a resident to all staff, an ABA
//! provider's notes by a child's first name and initial, and a staffing agency's mail about its
//! own nurses' health, and a physician's reply naming a patient right before a chart number in
//! capitals, an employee health office's mail about its own staff as patients, and a speech
//! clinic's note by a child's first name and initial; round 115's sets a refugee clinic's note
//! by "SURNAME, Given Names" and digits, a chaplain's note to a team naming a patient with a
//! nickname in quotes, and a newborn screening lab's specimen table; round 116's a front
//! desk's voicemail note to a team about a patient named only with words about care the rules
//! do not count among colleagues; round 119's a billing office's call-back note by a surname the
//! lists lack, a birth centre's parking list of plates and owners, and a Medicaid unit's
//! space-aligned table under "Member" and "RID"; round 124's an orthopaedic surgeon's note by a
//! surname alone, a group home's notes by residents' first names, and an employer's drug test
//! result naming its donor; an emergency department's cab voucher by a bed and a name; round 133's an onsite clinic's reply to an employee at work
//! quoting the employee's own question, a respirator clearance sent to an employer, a street
//! medicine team's memorial notice and a donor appeal telling a client's story, and a massage
//! therapist's reply to a client at a mail provider the rules do not know; round 142's replies to
//! patients at their employers' mailboxes (a teacher, an account coordinator, a hospital's own
//! pharmacist), a residential program's handoff by first names and initials, a coder's review
//! naming a patient in its subject by a hospital account, and a crisis line's quality review of
//! a call; round 144's a home care agency's reply about a client's mileage charges to her son
//! at work and an athletic trainer's note to a team physician about a student athlete in lower
//! case; session 22's sets fourteen more: a ride app's sign-in alert, staff writing about
//! patients in lower case (a jail's nurse, a palliative care team's night note, a chaplain's
//! list), employees as patients (an employee health office's immunity table and exposure
//! follow-ups, a staffing agency's workers' compensation list by "Surname, I.", a patient
//! access clerk and a farmworker program's own staff writing from work about their own care),
//! an unidentified decedent known only by case numbers, and a WIC participant's father writing
//! from work; session 23's sets three more: a jail nurse's injection list by lower-case
//! "surname, given name" and booking numbers, a community paramedic's lower-case note, and a
//! hospital's financial assistance office writing to its own employee about her delivery;
//! session 24's sets fourteen more: an employee assistance program's lower-case call-back note, a
//! counsellor's reply to a client at his employer's mailbox, an on-site clinic's hearing-shift
//! notice and travel-vaccine reply to employees at work, an operating room's loaner list by
//! surnames and times, a legal clinic's voicemail log, a dietitian's reply to a patient at
//! work, a rehab program's mail with a patient's employer about leave paperwork, a vision plan's
//! voicemail routing notice, a patient's question about his TB medicine forwarded from his work
//! mailbox, a TB nurse's note by a name the lists lack, a deposition's scheduling thread, a NICU's
//! parking pass for a family's driver, and an environmental services order naming a patient by
//! surname; session 29's a sleep technologist's question about a study by surname and study
//! number; session 30's a concierge practice's reply to a member at his employer's mailbox,
//! a trial office's notes and shipping tables by subject number alone, an optical shop's
//! one-line "rm 3 ready" and an employer's safety-glasses voucher; session 31's a bariatric
//! program's confirmation of a free information session and an interpreting agency's list of
//! open assignments; a patient asking a compounding pharmacy about semaglutide from his
//! employer's mailbox, a documentation specialist's lower-case note about "volkov's chart" and
//! a cardiac monitoring service's voice mail from a patient who never says a word about care;
//! an oral surgery patient moving his implant consult from his employer's mailbox and a
//! Medicaid plan's list of members due for renewal, by name, ID and phone; a crisis line's
//! warm-transfer record by its number; session 32's a rehab unit's lower-case thread about
//! "okafor" and his wife's recliner, a house-call nurse's mileage log by surname and
//! address, a parent writing about his daughter's migraine medicine from his employer's mailbox
//! and an employer's leave request for a birth center's patient; a staff interpreter's note
//! about "ba Le Thi Hoa rm 412" and another giving back a Somali patient's infusion by her
//! name alone; session 33's a health system's cash-posting note by account number and
//! lower-case surname, a peer support specialist's note about meeting "Dwayne" after his
//! discharge and a crisis unit's bed held for a jail's release by record number alone; an
//! employer portal's drug-screen result for "SANDOVAL, M.", a trial coordinator's prescreen of
//! "Fontaine, HR0044608" (a chart number that passes the DEA check), an assisted living
//! nurse's pasted texts about "lorraine" and a WIC reminder batch's failed text messages; a home
//! dialysis nurse's pasted texts from "kayla (the PD trainee)" and a scheduler's "can u move
//! petrosyan from 2pm to 3:30"; batch 18's surgery confirmations by initials, a patient named
//! by a first name before her first visit, a spoken birth date by numbers, a plan's appeal
//! question in an automatic reply and a transition-fill report's member number; batch 19's
//! initials and a room ("R.T. in 312"), a chart number added to a clinic, a lower-case
//! "mr tsinnies place" and a surname the lists lack in a referral's subject; batch 20's "POC
//! for Gus", a ride driver's texts about "okafor", a jail dentist's list by lower-case surname
//! and booking number, and a student health center's mail to students at the university's own
//! domain; batch 21's "SOC done for Henry", a daily operations report's held prescription,
//! a payer's status notice by a state Medicaid client number, a dental lab's remake by surname,
//! a records department's notes by surname and a deficiency list by account number, and a
//! bariatric program's follow-up list by record number; batch 22's pasted texts about "pt
//! Ochoa" and "mrs lindqvist", an optical lab's remake by tray number, a workers' compensation
//! voicemail and a case manager's "Oksana's recheck", and a courier's specimen bag by
//! accession numbers and names in capitals),
//! and raise 265 false alarms (0.032; session 34's model: 0.0075, 62 of 8,213, in-sample;
//! grouped by author, eight folds, it takes back 154 of the rules' 205 weak-evidence false
//! alarms and loses three messages with PHI, and 6 of their 60 strong-evidence ones), typed F1 0.929 (floors in `tests/style_corpus.rs`): mail by new writers is still read worse than the dev
//! corpus, above all by flagging mail without PHI. A message that is not PHI reports no
//! identifiers ([`ScanResult::phi_findings`]); weak evidence makes a message PHI only with words
//! about someone's care within 300 bytes; HL7 v2 segments and JSON records pasted into mail
//! are read by field (`structured.rs`), space-aligned tables by column.
//!
//! **Speed** (release, one core, shared 2-core machine, so timings are noisy; `cargo bench -p dlp`,
//! and `cargo run --release -p dlp --example latency` for p50/p99 of a 100 KB message): see the DLP
//! section of `BENCHMARKS.md` for the figures and how they were taken. Callgrind (the steadier
//! measure): 149.1 instructions per byte over the corpus texts and 154.2 for the 100 KB message
//! after session 28's rounds 222 to 226 and its tokenizer pass (153.0 and 157.8 after session
//! 27's speed pass, with every finding unchanged; 173.3 and 176.1 after round 221, 171.0 and 172.8 after round 207, 161.1 and 157.3 after round 179, 151.4 and
//! 148.6 after round 125, 149.0 and 146.3 after round 118, 146.2 and 143.7 after round 115, 142.8 and 140.7 after round 107 and its review, 139.1 and 137.0 after round 93, 133.8 and 131.8 after round 65, 120.0 and
//! 118.7 after the twenty-fourth round, 118.4 and 117.3 after the seventeenth and a review, 115.7 and
//! 115.1 after the eleventh, 114.3 and 114.4 after the ninth, 110.4 and 110.8 after the fifth, 105.7
//! and 105.9 after the second, 95.9 and 96.3 before the first, 130 and 148 in an earlier pass,
//! 297 the first day). Wall clock after the twenty-second round (2026-12-01, three rounds
//! alternating with the seventeenth round's code): about 58 MB/s over the corpus (target 100;
//! 61 for the older code) and a 100 KB message at p99 1.47–1.57 ms (target 2 ms); after round
//! 105, on that day's slower machine, a 100 KB message at p50 2.3–3.5 ms and p99 3.9–4.2 ms
//! (about 30–45 MB/s); after round 113 (2026-12-02, five rounds alternating with round 107's
//! code) p50 3.20 ms and p99 4.48 ms against 3.27 and 5.02 (about 30 MB/s); after round 220
//! (2026-12-02, five rounds alternating with round 207's code) p50 2.47 ms and p99 3.04 ms against
//! 2.41 and 2.77 (about 42 MB/s); after session 27's speed pass (2026-12-03, six rounds
//! alternating with round 221's code, on a machine slower again) p50 3.81 ms and p99 4.92 ms
//! against 4.24 and 5.36 (about 27 MB/s): the targets are not met. All passes are linear (see
//! `tests/robustness.rs`).
//!
//! **Span-only rules.** Rules that find an identifier's shape in any writer's mail but could
//! also fire in mail without PHI score under [`PHI_THRESHOLD`]: reported in a message found to
//! hold PHI, never evidence on their own (a town and state after "in", an employer's fax, a
//! record number after "specimen" or "incident #", a licence or account number later in its
//! cue's sentence, an SSN's last four, an age over 89 after "is" or "at"; session 17).
//!
//! How: per-thread buffers (token, newline, keyword-match and candidate vectors, the lower-cased
//! copy of the text, the overlap bitmaps, the sort keys, the pattern regex's lazy-DFA cache) are
//! reused across scans, so a scan allocates little beyond its result; the pattern pass drives the
//! lazy DFAs itself, as the library's `try_search` does (a forward search for each match's end and
//! pattern, then an anchored reverse search back to where the forward search began for its start),
//! but reads the start off the text instead of searching back for the patterns whose start follows
//! from their end (SSN, DEA, VIN, ten digits: fixed lengths; an e-mail address: the local-part
//! bytes before its one `@`; a phone number, an ICD-10 code, a time: the leftmost of their few
//! possible starts that matches; `rules::known_start`): that start is the leftmost one the pattern
//! matches from, which is what the reverse search finds (a match of any pattern starting further
//! left would have been found instead), checked against the reverse search in debug builds and
//! against the meta regex's matches in a test; half of the corpus's matches skip the reverse search
//! that way; the context around a match is looked at only where the answer is used (a date's
//! nearest cue word and header test only without a strong cue word, a phone number's fax test only
//! when it is kept as a patient's, an ICD-10 code's cue words only without a dot); the first-letter
//! bucket of a word-list look-up is one table look-up; the keyword pass steps a compact copy of the
//! automaton's table itself instead of the library's overlapping iterator: a fixed-size table
//! indexed with a mask (no bounds check; the same mask drops a flag bit that marks match states, so
//! four walks are checked for a match with three ORs and one test), no overflow-checked loop
//! counter, and on texts of 432 bytes or more four walks side by side, one per quarter, each
//! started `max_len` bytes early (a table step waits on the one before it, so four independent
//! chains use the core better; the matches then come in end order and an insertion sort puts them
//! in start order); the tokenizer runs first, skips non-letters with one table look-up a byte
//! (noting the line breaks it steps over, which is the newline index the other passes use), reads
//! letter runs eight bytes at a time, takes the general path (apostrophes, hyphens, non-ASCII
//! letters) only when the byte after an ASCII run asks for it (a word of up to seven letters is
//! one eight-byte chunk, which also gives its key and its end), fills local vectors (their lengths
//! stay in registers), and computes each token's `word_key` once, which feeds the bit filters in
//! front of the drug and not-a-name lists and is also the probe key of the name and drug
//! dictionaries (`rules::WordSet`, open-addressing tables: a look-up is a few compares instead of
//! hashing the word and calling `memcmp`); it also lists the tokens that pass the first drug
//! filter, so the drug pass visits only those (about one token in ten); the not-a-name list and the
//! four lists consulted for the word before a candidate name are open-addressing tables probed from
//! that key (one probe instead of hashing or several list searches), and the not-a-name test and
//! the small-list test (`Words::eq_any`, which most calls leave at its length or first-byte check,
//! and the rest at the one or two words sharing the word's first two letters) are inlined where
//! they are used; the title look-back first checks the one byte every title ends in; the name pass
//! steps its line index forward with the candidates instead of searching, looks at the first byte
//! of a line before trimming it for a header test, and ends the credential test at the first two
//! bytes when no credential starts with them; whole-word list searches (`has_word`) visit only word
//! starts, found eight bytes at a time, and a date's two windows (40 bytes across lines, 70 on its
//! line) are searched as one (the shorter ends the longer; only its first position can differ); the
//! pattern pass takes the words before a match only for the patterns that read them; line and
//! signature look-ups remember the last answer (candidates come in text order); the search for
//! later mentions of a patient's name puts a 4096-bit filter in front of the name set (a long
//! message names many patients, and a name with a non-ASCII letter used to switch the filter off),
//! and the few names, staff words and name positions of a message are compared one by one
//! (`SmallSet`, hashed past 16) instead of going into three hash sets per message; keyword values
//! are matched by hand (checked against the `VALUE` regex in debug builds); overlap resolution
//! sorts one packed integer key per candidate and marks kept spans in a bitmap (linear); past 32
//! candidates it first marks the bytes two or more candidates share and sorts only the candidates
//! on them (one that overlaps no other is kept whatever the order), and code-point offsets are byte
//! offsets for ASCII text. Checksums and code look-ups use stack buffers; small word lists are
//! indexed at compile time.
//!
//! Tried and dropped (findings were identical each time; the cost was not): running the pattern
//! regex only near digits, `@`, `:` and `www.` (on this corpus 78% of the bytes are on lines
//! holding such a trigger: +12 instructions per byte); a fully compiled DFA for the patterns (1.6 s
//! and 6 MB to build); running the regex anchored only where a pattern can start (word starts
//! filtered by their first bytes, `@` runs, `http`/`www.`): the thousands of anchored searches over
//! the corpus cost more than the unanchored scan they replace (+16 instructions per byte, same wall
//! time); driving the lazy DFAs directly with the reverse search anchored on the matching pattern
//! (the meta regex's overhead is under 1 instruction per byte and the reverse search did not get
//! shorter; the fifth pass drives them directly after all, to skip the reverse search where the
//! start can be read off the text); eight-byte skipping of non-letters in the tokenizer and of line
//! breaks in the line index (runs are too short to pay). Also a hand-written matcher for all
//! fifteen patterns in place of the regex (each pattern tried anchored, greedy parts and
//! alternatives in the regex's order; its matches equalled the regex's on all 76,564 inputs of
//! `examples/findings.rs`, checked scan by scan in a debug build): tried at every position it cost
//! 147 instructions per byte; gated on each word's letter/digit run (its first byte, length and the
//! byte after it rule out most patterns) 34; skipping to windows around triggers (digits, `@`,
//! colons, `www.`, capital/digit blocks for VINs) still 30, against the regex's 17 (finding the
//! matches only). The corpus has a trigger every 25 bytes or so, and the lazy DFA's own loop is a
//! few instructions a byte: most of what it spends is per match (about 3,000 on the corpus: the
//! slow path around match states and the reverse search for the start), and a matcher that looks at
//! every word start spends more than that. Smaller ones that cost more than they saved (callgrind,
//! corpus): a list of capitalised token indices from the tokenizer for the name pass (the pushes
//! cost what the skipped tokens saved), a length test on the word after a name before the
//! credential look-up, a run-length filter in `word_at`, a slice search for the next capitalised
//! token, and inlining `word_at` and `Doc::before_line`. In the fourth 2026-11-30 pass (callgrind,
//! corpus, each against the code it would have replaced): a branch-free `word_key` (+0.3 M
//! instructions in the tokenizer), leaving the credential test of lone capitalised words to the
//! later-mention search (+0.33 M: most corpus messages name a patient, so it ran anyway), a
//! table-driven `last_word` (+0.09 M), eight-byte packed heads in the not-a-name table (+0.2 M), a
//! two-letter pre-filter in front of the word-before-a-name table (+0.02 M), `position` to skip
//! uncapitalised tokens in the name pass (+0.05 M), a galloping line look-up from the last answer
//! (+0.09 M), kept candidates as (start, index) pairs (+0.09 M on the 100 KB message), and the four
//! keyword walks' slices zipped into one iterator (+0.08 M). In the fifth 2026-11-30 pass: the word
//! before a candidate name taken from the token before it (with its key, so the look-up skips
//! hashing) when that token is the word the backward scan would find (+0.15 M: the name pass saved
//! 0.07 M, but the flag the tokenizer had to store for it cost the tokenizer 0.23 M), and the
//! cue-word walk before a phone number or date on a 128-bit mask of word bytes built eight bytes at
//! a time (+0.38 M: the `u128` shifts and leading-zero counts cost more than the byte loop). Where
//! the instructions go now (corpus, inclusive): the pattern pass 27.5% (the regex 16.9 points of
//! it: the forward search 13.1, the reverse searches 1.6, the rest the driving loop and the starts
//! read off the text; the context words around each match the other 10.6), the name rules 23.4%,
//! the tokenizer 19.5%, the keyword automaton 11%, signature and header analysis 6%, overlap
//! resolution 5%, the drug pass 3%.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use aho_corasick::{MatchKind, StartKind, dfa::DFA};
use regex_automata::{Anchored, Input, meta::Regex};

pub mod person_model;
mod rules;
mod structured;
mod weak_verdict;

pub use weak_verdict::{
    GIVE_AT, GIVE_MIN_WORDS, STRONG_FINDINGS_JUDGED, VETO_BELOW, VETO_STRONG_BELOW,
};

/// What a finding is. The strings are the corpus/scorer labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    Person,
    Date,
    Age,
    Phone,
    Fax,
    Email,
    Ssn,
    Mrn,
    MemberId,
    Account,
    License,
    Vehicle,
    Device,
    Url,
    Ip,
    Address,
    Zip,
    OtherId,
    Npi,
    Dea,
    Icd10,
    Medication,
}

impl Label {
    /// The label string used by the corpus and the scorer (`"MEMBER_ID"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Person => "PERSON",
            Label::Date => "DATE",
            Label::Age => "AGE",
            Label::Phone => "PHONE",
            Label::Fax => "FAX",
            Label::Email => "EMAIL",
            Label::Ssn => "SSN",
            Label::Mrn => "MRN",
            Label::MemberId => "MEMBER_ID",
            Label::Account => "ACCOUNT",
            Label::License => "LICENSE",
            Label::Vehicle => "VEHICLE",
            Label::Device => "DEVICE",
            Label::Url => "URL",
            Label::Ip => "IP",
            Label::Address => "ADDRESS",
            Label::Zip => "ZIP",
            Label::OtherId => "OTHER_ID",
            Label::Npi => "NPI",
            Label::Dea => "DEA",
            Label::Icd10 => "ICD10",
            Label::Medication => "MEDICATION",
        }
    }

    /// Safe Harbor identifiers make a message PHI; clinical items (NPI, DEA, ICD10, MEDICATION)
    /// are reported but do not on their own.
    pub fn is_identifier(self) -> bool {
        !matches!(
            self,
            Label::Npi | Label::Dea | Label::Icd10 | Label::Medication
        )
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One detected item. Holds offsets only, never the value, so it is safe to log or `Debug`.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub label: Label,
    /// Code-point offsets into the scanned text, end exclusive.
    pub start_char: usize,
    pub end_char: usize,
    /// Byte offsets into the scanned text, end exclusive; always on char boundaries.
    pub start_byte: usize,
    pub end_byte: usize,
    /// Confidence in `0.0..=1.0`.
    pub score: f32,
    /// Which rule fired (`"ssn.context"`, `"npi.luhn"`, ...).
    pub rule: &'static str,
    /// Why, in words (never contains the value).
    pub reason: &'static str,
}

/// The result of scanning one text.
#[derive(Clone, Debug, Default)]
pub struct ScanResult {
    /// Non-overlapping findings in text order.
    pub findings: Vec<Finding>,
    /// True when a patient identifier was found (clinical items alone do not count): one
    /// scoring at least [`PHI_STRONG`] from a rule that says whose it is, or one scoring at
    /// least [`PHI_THRESHOLD`] within a few lines of words about someone's care ("patient",
    /// "DOB", "your appointment", "my son", ...). Staff, vendor and newsletter mail names
    /// colleagues and volunteers and gives business addresses and numbers; those alone do not
    /// make it PHI.
    pub contains_phi: bool,
    /// True when an identifier (not a date) scored at least [`PHI_THRESHOLD`], whatever the
    /// context: the evidence [`Self::contains_phi`] weighs. A message scanned part by part
    /// (subject, body, attachments) counts a part with only this when another part speaks of a
    /// patient's care ([`mentions_patient_care`]).
    pub weak_phi: bool,
    /// How the message was judged: by the rules, then by the weak-verdict model. (Set by every
    /// scan; `None` only where a caller built a result without one.)
    pub weak_verdict: Option<WeakVerdict>,
    /// Distinct labels found, sorted.
    pub categories: Vec<Label>,
}

/// How a message was judged: first by the rules (strong evidence; or weak evidence,
/// [`ScanResult::weak_phi`], within a few lines of words about someone's care, or a name beside a
/// diagnosis or a dosed drug), then by the weak-verdict model (a logistic regression over the
/// message's words, the rules that fired and their decision, trained on the style corpus; see
/// the `weak_verdict` module). The model takes the rules' PHI verdict back when its probability
/// is under [`VETO_BELOW`] (under [`VETO_STRONG_BELOW`] on strong evidence, which it judges only
/// with at most [`STRONG_FINDINGS_JUDGED`] strong findings), and gives one they did not at
/// [`GIVE_AT`] or over in a text with at least [`GIVE_MIN_WORDS`] words of its vocabulary.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WeakVerdict {
    /// The rules' decision.
    pub rules_say_phi: bool,
    /// Was there weak evidence ([`ScanResult::weak_phi`]) and no strong evidence?
    pub weak_evidence: bool,
    /// Was there strong evidence (a finding from a rule that says whose it is)? The model takes
    /// such a verdict back only under [`VETO_STRONG_BELOW`], and judges it only when there are
    /// at most [`STRONG_FINDINGS_JUDGED`] strong findings.
    pub strong_evidence: bool,
    /// How many strong findings there were, counted up to one more than
    /// [`STRONG_FINDINGS_JUDGED`].
    pub strong_findings: u32,
    /// The model's probability that the message is a patient's (`None` where the model did not
    /// judge the text: more than [`STRONG_FINDINGS_JUDGED`] strong findings, or a subject whose
    /// verdict comes from the body read with it).
    pub model_probability: Option<f32>,
    /// Distinct words of the model's vocabulary in the text (0 where no model judged it).
    pub model_words: u32,
}

impl WeakVerdict {
    /// Did the model take the rules' PHI verdict back?
    pub fn taken_back(&self) -> bool {
        let below = if self.strong_evidence {
            VETO_STRONG_BELOW
        } else {
            VETO_BELOW
        };
        self.rules_say_phi && self.model_probability.is_some_and(|p| p < below)
    }

    /// Did the model give a PHI verdict the rules did not?
    pub fn given(&self) -> bool {
        !self.rules_say_phi
            && self.model_words >= GIVE_MIN_WORDS
            && self.model_probability.is_some_and(|p| p >= GIVE_AT)
    }
}

/// Is any of `findings` evidence of an identifier: a finding with an identifier's label,
/// scored at [`PHI_THRESHOLD`] or more? What a caller asks of a text that must name no one (a
/// template, a subject line read apart from its body): the verdict alone is not that question,
/// since the weak-verdict model may call a text about care PHI with no identifier in it.
pub fn holds_identifier(findings: &[Finding]) -> bool {
    findings
        .iter()
        .any(|f| f.label.is_identifier() && f.score >= PHI_THRESHOLD)
}

impl ScanResult {
    /// Weak evidence that counts when another part of the same message (its subject, an
    /// attachment) speaks of someone's care: [`Self::weak_phi`], unless the weak-verdict model
    /// took this part's verdict back (its own words spoke against a patient).
    pub fn weak_evidence_for_other_parts(&self) -> bool {
        self.weak_phi && !self.weak_verdict.is_some_and(|v| v.taken_back())
    }

    /// The findings the verdict stands behind: clinical items (NPI, DEA, ICD-10, medication)
    /// always, identifiers only when the message [contains PHI](Self::contains_phi). In a
    /// message that is not PHI the identifier-shaped findings (a colleague's name, a meeting
    /// date) were judged not to be a patient's, so a span list that reports PHI reports none of
    /// them. (A message scanned part by part weighs [`Self::weak_phi`] across its parts first.)
    pub fn phi_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| self.contains_phi || !f.label.is_identifier())
    }
}

/// Does the date `d` give its year in four digits or in words ("5/19/1983", "June 3rd 1958",
/// "June third nineteen sixty two")?
fn with_year(d: &str) -> bool {
    // (Spoken: "June third nineteen sixty two"; "april ninth ninety one", a decade's word after
    // the day's ordinal.)
    let spoken = d
        .split(' ')
        .any(|w| w.eq_ignore_ascii_case("nineteen") || w.eq_ignore_ascii_case("thousand"))
        || d.split([' ', '-'])
            // (After the month's name: "August" ends like an ordinal.)
            .skip(1)
            .skip_while(|w| !["st", "nd", "rd", "th"].iter().any(|x| w.ends_with(x)))
            .skip(1)
            .any(|w| {
                [
                    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
                ]
                .iter()
                .any(|t| w.eq_ignore_ascii_case(t))
            });
    // ("2/14/67", "8-21-62": a numeric date in three parts ends with its year.)
    let three_parts = {
        let mut parts = d.trim().split(['/', '-', '.']);
        let mut n = 0;
        let all_digits = parts.all(|p| {
            n += 1;
            !p.is_empty() && p.len() <= 4 && p.bytes().all(|c| c.is_ascii_digit())
        });
        all_digits && n == 3
    };
    spoken
        || three_parts
        || d.as_bytes().windows(4).any(|w| {
            matches!(w[..2], [b'1', b'9'] | [b'2', b'0'])
                && w[2].is_ascii_digit()
                && w[3].is_ascii_digit()
        }) && !d
            .as_bytes()
            .windows(5)
            .any(|w| w.iter().all(u8::is_ascii_digit))
}

/// Minimum score for an identifier to make [`ScanResult::contains_phi`] true when the message
/// speaks of a patient's care (see [`ScanResult::contains_phi`]).
pub const PHI_THRESHOLD: f32 = 0.5;
/// Minimum score for an identifier to make [`ScanResult::contains_phi`] true on its own.
pub const PHI_STRONG: f32 = 0.8;

/// How far (bytes, either way) from a weak finding the words about someone's care may be for it
/// to count ([`ScanResult::contains_phi`]). Across the dev corpus and the style corpus's 350
/// e-mails, 300 cleared 9 false alarms against looking at the whole message and lost one PHI
/// message that was caught only through a colleague's number (see BENCHMARKS.md, section 3).
const CARE_CONTEXT_REACH: usize = 300;

/// Rules whose findings, however well they score, make a message PHI only when it speaks of
/// someone's care, like weak evidence: what they find is a person's only in such a message. A
/// street address, a phone number after "cell", a case or ticket number, an account number, a
/// public IP address and a titled name ("Mrs. Okafor") are as often a business's, a colleague's
/// or a vendor's. Blind set H (2026-11-30): 10 of its 17 messages without PHI were PHI by the
/// old verdict, 6 of them on these rules alone; across the dev and style corpora, demoting them
/// cleared 10 false alarms and lost none of the 587 messages with PHI.
const NEEDS_CARE_CONTEXT: &[&str] = &[
    "account.context",
    "date.event",
    "date.subject",
    "date.death",
    "address.street",
    "zip.address",
    "ip.public",
    "other_id.context",
    "other_id.request_key",
    "phone.context",
    "phone.spoken",
    "person.title",
    "mrn.after_name",
    "other_id.before_name",
    "age.after_name",
    "device.sentence",
    "device.unowned",
    "person.list_item",
    "url.meeting",
];

/// Rules whose findings in mail to a whole group ([`rules::addressed_to_a_group`]) count only
/// beside words about someone's care: there they are most often a colleague's birthday, new
/// baby or family (blind sets N and O, 2026-12-01: a retirement, a birth and a memorial notice),
/// or where a new colleague lives (blind set PP, 2026-12-03: "She lives in Hilliard with her
/// husband", to all staff).
const GROUP_NEWS_RULES: &[&str] = &["date.birthday", "date.dob", "person.cue", "address.city"];

/// Rules that find the writer or the reader of a message themselves (their mailbox, the name
/// on it, in the greeting or under the closing): in mail to or from an office that does not
/// deal with care they count only beside words about care (blind set U, 2026-12-01: a job
/// applicant, a donor, a volunteer and neighbours writing to a hospital's offices).
const WRITER_RULES: &[&str] = &[
    "email.personal",
    "person.header",
    "person.signature",
    "person.greeting",
    // ("My name is Daniel Osei-Bonsu", "my emergency contact: my wife, Linda Petersen".)
    "person.cue",
    // ("View application: https://employers.indeed.com/candidates?id=9b21c44e0a".)
    "url.token",
    // ("Dr. Adaeze Okafor - 2021 Subaru Outback, OR plate 418 KWD", to parking@: new staff's
    // hangtags.)
    "vehicle.context",
];

/// The `feature<TAB>weight` lines of a model's weights file (`data/*.tsv`), without its
/// comments and blank lines.
pub(crate) fn weights_file(tsv: &'static str) -> impl Iterator<Item = (&'static str, f32)> {
    tsv.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| {
            let (name, weight) = line
                .rsplit_once('\t')
                .expect("a weights file: feature<TAB>weight (covered by tests)");
            let weight = weight
                .parse()
                .expect("a weights file: a weight is a number (covered by tests)");
            (name, weight)
        })
}

/// A small, fast, non-cryptographic hasher (the FxHash mix) for the built-in dictionaries: the
/// keys are fixed, public word lists, so SipHash's flooding resistance buys nothing here.
#[derive(Clone, Copy, Default)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    /// One step: mixes eight more bytes (or a number) into the hash.
    #[inline]
    pub(crate) fn add(&mut self, w: u64) {
        self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut a = [0u8; 8];
            a.copy_from_slice(c);
            self.add(u64::from_le_bytes(a));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut a = [0u8; 8];
            a[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(a) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A hash set keyed with [`FxHasher`].
pub(crate) type FastSet<T> = HashSet<T, BuildHasherDefault<FxHasher>>;

/// A hash map keyed with [`FxHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The detector. Build once with [`Scanner::new`] and share (`Send + Sync`); scanning takes `&self`.
pub struct Scanner {
    /// The [`rules::PATTERNS`] (used when `pattern_dfa` gives up, which it is not configured to).
    pub(crate) patterns: Regex,
    /// The same patterns as a bare lazy-DFA regex, which `rules::patterns` drives itself: the
    /// forward search gives a match's end and pattern, and the reverse search for its start
    /// runs only for patterns whose start cannot be read off the text (see
    /// `rules::known_start`).
    pub(crate) pattern_dfa: regex_automata::hybrid::regex::Regex,
    /// Tells this scanner's lazy-DFA cache apart from another scanner's in the per-thread
    /// buffers (a cache must only be used with the regex it was made for).
    pub(crate) id: u64,
    pub(crate) value: Regex,
    pub(crate) city: Regex,
    /// Case-insensitive, overlapping matcher for [`rules::KEYWORDS`] then
    /// [`rules::BUSINESS_WORDS`] (pattern ids in that order).
    pub(crate) keywords: rules::KeywordDfa,
    pub(crate) meds: rules::WordSet,
    /// Every single word of `meds` and every first word of a multi-word entry, with
    /// [`rules::MED_NAME`] / [`rules::MED_FIRST`] flags: one look-up per candidate token.
    pub(crate) med_words: rules::WordSet,
    pub(crate) med_max_words: usize,
    /// Bit filter over the keys of `med_words` (see [`rules::word_key`]): a clear bit means an
    /// ASCII token is not a key, so most tokens skip the look-up.
    pub(crate) med_filter: Box<rules::KeyFilter>,
    /// A second, independent filter over the same words (see [`rules::word_key2`]): the first
    /// alone lets about one token in eight through.
    pub(crate) med_filter2: Box<[u64]>,
    pub(crate) first_names: rules::WordSet,
    pub(crate) surnames: rules::WordSet,
    pub(crate) icd10: FastSet<&'static str>,
    weak_model: weak_verdict::WeakVerdictModel,
    /// Names the rules have no cue for, in a message called PHI (see `person_model`).
    person_model: person_model::PersonModel,
}

impl std::fmt::Debug for Scanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner").finish_non_exhaustive()
    }
}

impl Default for Scanner {
    fn default() -> Self {
        Self::new()
    }
}

pub(crate) const FIRST_NAMES: &str = include_str!("../data/first_names.txt");
const SURNAMES: &str = include_str!("../data/surnames.txt");
const ICD10_CODES: &str = include_str!("../data/icd10cm_codes.txt");
const MEDICATIONS: &str = include_str!("../data/medications.txt");

impl Scanner {
    /// Builds the automata and dictionaries (tens of milliseconds); do it once.
    pub fn new() -> Self {
        let pattern_list: Vec<&str> = rules::PATTERNS.iter().map(|(_, p)| *p).collect();
        let patterns =
            Regex::new_many(&pattern_list).expect("built-in patterns are valid (covered by tests)");
        let pattern_dfa = regex_automata::hybrid::regex::Regex::new_many(&pattern_list)
            .expect("built-in patterns are valid (covered by tests)");
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let value = Regex::new(rules::VALUE).expect("built-in value pattern is valid");
        let city = Regex::new(rules::CITY).expect("built-in city pattern is valid");
        // Keywords and business words in one automaton, reporting every (overlapping) match:
        // `rules::keyword_matches` rebuilds the leftmost-longest keyword matches from them.
        // No prefilter: `rules::keyword_matches` drives the DFA itself, one byte at a time.
        let keywords = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Unanchored)
            .prefilter(false)
            .build(
                rules::KEYWORDS
                    .iter()
                    .map(|k| k.0)
                    .chain(rules::BUSINESS_WORDS.iter().copied()),
            )
            .expect("built-in keywords are valid");
        let keywords = rules::KeywordDfa::new(&keywords)
            .expect("keyword automaton fits its table (covered by tests)");
        let meds: FastSet<&'static str> = MEDICATIONS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let med_max_words = meds.iter().map(|m| m.split(' ').count()).max().unwrap_or(1);
        let mut med_words: FastMap<&'static str, u8> = FastMap::default();
        for &m in &meds {
            match m.split_once(' ') {
                Some((first, _)) => *med_words.entry(first).or_default() |= rules::MED_FIRST,
                None => *med_words.entry(m).or_default() |= rules::MED_NAME,
            }
        }
        let med_filter = rules::key_filter(med_words.keys().copied());
        let med_filter2 = rules::key_filter2(med_words.keys().copied());
        let med_words = rules::WordSet::new(med_words);
        let meds = rules::WordSet::new(meds.into_iter().map(|m| (m, 0)));
        let words = |s: &'static str| {
            rules::WordSet::new(
                s.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| (l, 0)),
            )
        };
        let set = |s: &'static str| {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<FastSet<_>>()
        };
        Scanner {
            patterns,
            pattern_dfa,
            id,
            value,
            city,
            keywords,
            meds,
            med_max_words,
            med_words,
            med_filter,
            med_filter2,
            first_names: words(FIRST_NAMES),
            surnames: words(SURNAMES),
            icd10: set(ICD10_CODES),
            weak_model: weak_verdict::WeakVerdictModel::new(),
            person_model: person_model::PersonModel::new(&[FIRST_NAMES, SURNAMES]),
        }
    }

    /// The names in `text` the rules judged staff (a signature's, a title's, a role's), as
    /// code-point ranges in text order, overlapping ones merged: the words the person-name
    /// model passes over. For its training script (`examples/predict.rs` with `PREDICT_ALL`),
    /// which must leave out the same words; a second pass of the rules, not part of [`Self::scan`].
    pub fn staff_names(&self, text: &str) -> Vec<(usize, usize)> {
        let mut sc = rules::Scratch::default();
        rules::collect(self, text, &mut sc);
        rules::merge_spans(&mut sc.staff);
        // (In text order, not overlapping: code points counted forward, once.)
        let mut at = (0usize, 0usize);
        sc.staff
            .iter()
            .map(|&(a, z)| {
                let start = at.1 + text[at.0..a].chars().count();
                let end = start + text[a..z].chars().count();
                at = (z, end);
                (start, end)
            })
            .collect()
    }

    /// Scans `text`. Linear in its length; never panics.
    pub fn scan(&self, text: &str) -> ScanResult {
        // Per-thread buffers, taken for the scan and put back after it: a scan allocates little
        // beyond its result. (Taken rather than borrowed, so nothing is held across a panic.)
        SCRATCH.with(|cell| {
            let mut sc = cell.take();
            rules::collect(self, text, &mut sc);
            let mut r = resolve(text, &mut sc, SORT_ALL);
            // The model may take the rules' verdict back or give one.
            if let Some(v) = &mut r.weak_verdict
                && v.strong_findings <= STRONG_FINDINGS_JUDGED
            {
                let (p, words) = self.weak_model.probability(text, &r.findings, v);
                v.model_probability = Some(p);
                v.model_words = words;
                // (Nor gives one to a donor's receipt: its words about care are the
                // organisation's work, which the model reads as one patient's.)
                if v.taken_back() {
                    r.contains_phi = false;
                } else if v.given() && !sc.donor_receipt {
                    r.contains_phi = true;
                }
            }
            // In a message called PHI, names the rules have no cue for.
            if r.contains_phi {
                // (The names the rules judged staff are no candidates either: in text order,
                // overlapping ones merged, for the model's one pass.)
                rules::merge_spans(&mut sc.staff);
                let (toks, lc) = sc.tokens_and_lower();
                let names = self.person_model.names(
                    self,
                    &self.weak_model,
                    text,
                    (toks, lc),
                    (&r.findings, &sc.staff),
                );
                if !names.is_empty() {
                    r.findings.extend(names);
                    r.findings.sort_by_key(|f| f.start_byte);
                    if let Err(at) = r.categories.binary_search(&Label::Person) {
                        r.categories.insert(at, Label::Person);
                    }
                }
            }
            join_split_names(text, &mut r.findings);
            if sc.retained() <= SCRATCH_KEEP {
                cell.replace(sc);
            }
            r
        })
    }
}

/// Joins a name found in parts into one finding: "Joan" and "Kreiser" found apart (each a
/// coreference of the name in the headers, or each a word the person-name model scored) with
/// one space between them, or a middle initial ("CONSTANCE L ALBRIGHT", "Elijah R. Mensah").
/// The parts are one person's name, and one finding says so (a reviewer masks one name, the
/// report counts one). Run after the verdict: it changes spans, never what was found. The
/// joined finding keeps the better-scored part's score, rule and reason. (Not across a comma:
/// "cc: Kreiser, Hollenbach" is two people.)
fn join_split_names(text: &str, findings: &mut Vec<Finding>) {
    let b = text.as_bytes();
    let joins = |a: &Finding, n: &Finding| {
        a.label == Label::Person
            && n.label == Label::Person
            // ("this is marcus kenzies dad": the father, then his child's given name.)
            && n.rule != "person.child_of"
            && match &b[a.end_byte..n.start_byte] {
                [b' '] => true,
                [b' ', i, b' '] | [b' ', i, b'.', b' '] => i.is_ascii_uppercase(),
                _ => false,
            }
    };
    if !findings.windows(2).any(|w| joins(&w[0], &w[1])) {
        return;
    }
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings.drain(..) {
        match out.last_mut() {
            Some(last) if joins(last, &f) => {
                if f.score > last.score {
                    last.score = f.score;
                    last.rule = f.rule;
                    last.reason = f.reason;
                }
                last.end_byte = f.end_byte;
                last.end_char = f.end_char;
            }
            _ => out.push(f),
        }
    }
    *findings = out;
}

/// Does `text` speak of a patient's care ("patient", "DOB", "your appointment", "my son", ...)?
/// The context in which weak evidence counts (see [`ScanResult::contains_phi`]).
pub fn mentions_patient_care(text: &str) -> bool {
    rules::patient_context(text)
}

thread_local! {
    static SCRATCH: std::cell::Cell<rules::Scratch> = std::cell::Cell::new(rules::Scratch::default());
}

/// Most buffer bytes a thread keeps between scans: after a larger message they are dropped.
const SCRATCH_KEEP: usize = 16 << 20;

/// Up to this many candidates, [`resolve`] sorts them all (fewer passes); beyond it, only those
/// that overlap another (the same findings: see the test `resolve_sorts_only_overlaps`).
const SORT_ALL: usize = 32;

/// A candidate before overlap resolution (byte offsets).
#[derive(Clone, Debug)]
pub(crate) struct Cand {
    pub(crate) label: Option<Label>,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) score: f32,
    pub(crate) rule: &'static str,
    pub(crate) reason: &'static str,
    /// Position among the candidates before sorting (set by `resolve`).
    pub(crate) seq: usize,
}

/// Keeps the best non-overlapping candidates; `label: None` candidates are blockers (e.g. an order
/// number) that win their span and are then dropped.
// Once per scan: kept out of line (callgrind: fewer instructions than inlined into `scan`).
#[inline(never)]
fn resolve(text: &str, sc: &mut rules::Scratch, sort_all: usize) -> ScanResult {
    let cands = &mut sc.cands;
    let valid = |c: &Cand| {
        c.start < c.end && text.is_char_boundary(c.start) && text.is_char_boundary(c.end)
    };
    // A bit per byte of text, set where a kept span lies (below): a candidate is dropped when
    // any bit of its span is set. Each candidate costs a few words of its span, so resolution
    // is linear in the text plus the candidates' lengths (both bounded by the rules).
    let covered = &mut sc.covered;
    covered.clear();
    covered.resize(text.len() / 64 + 1, 0);
    let mut kept: Vec<&Cand> = Vec::with_capacity(cands.len());
    // Best first: score (descending, `f32::total_cmp`), length (descending), start, then the
    // order the rules produced them in (as a stable sort would). Packed into one integer per
    // candidate, so the sort compares integers and moves 16 bytes instead of a `Cand`.
    let order = &mut sc.order;
    order.clear();
    let fits = u32::try_from(text.len()).is_ok() && u32::try_from(cands.len()).is_ok();
    if fits && cands.len() > sort_all {
        // Many candidates: one that shares no byte with another (valid) one is kept whatever
        // the order, so only those that overlap others are sorted; each keeps or loses to
        // those it overlaps exactly as in the order over all candidates (whether a candidate
        // is kept depends only on the candidates of its group of overlapping ones).
        // `covered` marks where a candidate lies, `shared` where two or more do.
        let shared = &mut sc.shared;
        shared.clear();
        shared.resize(text.len() / 64 + 1, 0);
        for c in cands.iter().filter(|c| valid(c)) {
            bits_share(covered, shared, c.start, c.end);
        }
        covered.fill(0);
        for (i, c) in cands.iter().enumerate() {
            if !valid(c) {
                continue;
            }
            if bits_any(shared, c.start, c.end) {
                order.push(priority_key(c, i));
            } else if c.label.is_some() {
                kept.push(c);
            }
        }
        order.sort_unstable();
    } else if fits {
        order.extend(cands.iter().enumerate().map(|(i, c)| priority_key(c, i)));
        order.sort_unstable();
    } else {
        for (i, c) in cands.iter_mut().enumerate() {
            c.seq = i;
        }
        cands.sort_unstable_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then((b.end - b.start).cmp(&(a.end - a.start)))
                .then(a.start.cmp(&b.start))
                .then(a.seq.cmp(&b.seq))
        });
        order.extend((0..cands.len()).map(|i| i as u128));
    }
    // The candidates to order, best first.
    for &k in order.iter() {
        // The candidate's index is the key's low 32 bits (or, unpacked, the whole key).
        let i = if fits { k as u32 as usize } else { k as usize };
        let c = &cands[i];
        if !valid(c) {
            continue;
        }
        if bits_any(covered, c.start, c.end) {
            continue;
        }
        bits_set(covered, c.start, c.end);
        if c.label.is_some() {
            kept.push(c);
        }
    }
    // A record number's twins: more numbers of the same shape elsewhere in the message.
    let twins = same_shape_ids(text, &kept, cands, &mut sc.shared);
    kept.extend(twins.iter());
    // Kept spans do not overlap, so their starts differ: any sort gives the same order.
    kept.sort_unstable_by_key(|c| c.start);
    // Byte -> char offsets in one forward pass.
    let mut findings = Vec::with_capacity(kept.len());
    let mut chars = 0usize;
    let mut pos = 0usize;
    // ASCII text up to the last finding's end (checked once, a fast word-at-a-time test; no
    // offset past it is asked for): code points are bytes.
    let counted = kept.last().map_or(0, |c| c.end);
    let ascii = text.as_bytes()[..counted].is_ascii();
    let mut to_char = |b: usize| {
        if ascii {
            return b;
        }
        chars += text[pos..b].chars().count();
        pos = b;
        chars
    };
    for c in kept {
        let Some(label) = c.label else { continue };
        let sc = to_char(c.start);
        let ec = to_char(c.end);
        findings.push(Finding {
            label,
            start_char: sc,
            end_char: ec,
            start_byte: c.start,
            end_byte: c.end,
            score: c.score,
            rule: c.rule,
            reason: c.reason,
        });
    }
    // Strong evidence settles it; weak evidence alone (a name from the name lists, a number
    // after "phone") only in a message about someone's care (`rules::patient_context`, looked
    // for only then).
    // In mail to a whole group, a birthday, a birth date and a relative's name ("her husband,
    // Don", "their daughter, Anika Rose, born March 2") are colleagues' news: such mail is PHI
    // only when it also speaks of someone's care. (Asked only when one of them is found.)
    // A private person writing to an office that does not deal with care (careers@,
    // volunteers@, foundation@): their own mailbox, name and signature count only beside words
    // about care.
    let office = sc.nonclinical_office;
    // "Carla's out this afternoon ... Her birthday is Thursday 3/13": a birthday in mail among
    // colleagues (to the organisation's own mailboxes) is a colleague's unless words about care
    // are near it. Not one with its year: "my birthday is June 3rd 1958" in a voicemail's
    // transcript, or a driver's "My birthday is 5/19/1983" from his employer's mailbox, is a
    // caller's date of birth, given to be found in the records.
    let internal = sc.internal;
    // (Also in mail with headers and no personal mailbox, "also Priya's bday is 10/21 so we're
    // doing a combo cake": a birthday without its year, no patient's.)
    let staff_mail = internal || sc.staff_headers;
    let colleagues_birthday = |f: &Finding| {
        staff_mail && f.rule == "date.birthday" && !with_year(&text[f.start_byte..f.end_byte])
    };
    // A test of the first subject line, run at most once a message and only when asked.
    let subject_at = sc.subject_at;
    let subject_says = |test: fn(&str, usize) -> bool| {
        let answer = std::cell::OnceCell::new();
        move || *answer.get_or_init(|| subject_at.is_some_and(|at| test(text, at)))
    };
    // "Subject: Facility clearance request - 2 new hires": the names, birth dates and licence
    // numbers of new members of staff, sent for their badges and background checks, are no
    // patient's (blind set SH). (The subject is read only when such a finding would count.)
    let new_hires = subject_says(rules::subject_about_new_hires);
    let staff_paper = |f: &Finding| f.rule == "date.dob" || f.label == Label::License;
    let applicant = subject_says(rules::subject_about_a_job_application);
    let strong_at_all = |f: &Finding| {
        f.label.is_identifier()
            && !SAME_SHAPE_RULES.contains(&f.rule)
            && f.score >= PHI_STRONG
            && !NEEDS_CARE_CONTEXT.contains(&f.rule)
            && !((office || sc.hiring) && WRITER_RULES.contains(&f.rule) || colleagues_birthday(f))
            && !(staff_paper(f) && new_hires())
    };
    let strong_plain = findings
        .iter()
        .any(|f| strong_at_all(f) && !GROUP_NEWS_RULES.contains(&f.rule));
    let to_group = !strong_plain
        && findings.iter().any(|f| GROUP_NEWS_RULES.contains(&f.rule))
        && rules::addressed_to_a_group(text);
    // "Happy birthday this month to: Jan 3 - Destiny Fairweather (RT)".
    let strong = strong_plain || !to_group && findings.iter().any(strong_at_all);
    // An applicant for a post writing about the application: their own mailbox and name, like
    // a private person's to an office that does not deal with care. (The subject is read only
    // when such findings are all the strong evidence there is.)
    let writer = |f: &Finding| {
        matches!(f.label, Label::Person | Label::Email) && WRITER_RULES.contains(&f.rule)
    };
    let strong =
        strong && !(findings.iter().filter(|f| strong_at_all(f)).all(writer) && applicant());
    let is_weak = |f: &&Finding| {
        f.label.is_identifier()
            && !SAME_SHAPE_RULES.contains(&f.rule)
            && f.score >= PHI_THRESHOLD
            && !(staff_paper(f) && new_hires())
            // (A date is weak evidence only by a rule that needs words about care.)
            && (f.label != Label::Date
                || NEEDS_CARE_CONTEXT.contains(&f.rule)
                || to_group && f.rule == "date.dob"
                || internal && f.rule == "date.birthday")
    };
    let weak_phi = findings.iter().any(|f| is_weak(&f));
    // The words about care must be near the weak finding: a gala announcement that names its
    // emcee and, three paragraphs down, thanks "our patients" speaks of no patient's care.
    // An automatic reply ("I am out of the office Wednesday 10/15 through Friday 10/17 ...
    // please contact Marisol Vega, LSW, at ..."): only strong evidence counts.
    // Mail about interviews with candidates for a post names applicants, not patients: only
    // strong evidence counts there too.
    // Nor in mail about new members of staff or from an applicant for a post: their names
    // are colleagues' or the applicant's. (Their subjects are read last, only for messages
    // the weak evidence would make PHI.)
    // Nor in a donor's thank-you letter or receipt ("Thank you for your generous gift ...
    // Tribute: In memory of Ruth A. Weaver ... a 501(c)(3)"): the care it speaks of is the
    // organisation's work, the names the donor's and those the gift honours (blind batch 65).
    let weak_counts = !strong && weak_phi && !sc.auto_reply && !sc.hiring && !sc.donor_receipt;
    let weak_says_phi = weak_counts
        && (name_with_a_diagnosis(text, &findings)
            || list_item_with_a_drug(text, &findings)
            || possessed_drug_near(text, &findings, is_weak)
            || name_with_a_dosed_drug(text, &findings)
            || rules::patient_context_near(
                text,
                // In text order (`findings` is sorted by start).
                &findings
                    .iter()
                    .filter(is_weak)
                    .map(|f| f.start_byte)
                    .collect::<Vec<_>>(),
                CARE_CONTEXT_REACH,
                (&sc.staff, &findings),
            ));
    let contains_phi = strong || weak_says_phi && !new_hires() && !applicant();
    let mut categories: Vec<Label> = findings.iter().map(|f| f.label).collect();
    categories.sort();
    categories.dedup();
    // (Counted only as far as the model needs: one past what it judges.)
    let strong_findings = if strong {
        let enough = STRONG_FINDINGS_JUDGED as usize + 1;
        u32::try_from(
            findings
                .iter()
                .filter(|f| strong_at_all(f))
                .take(enough)
                .count(),
        )
        .unwrap_or(u32::MAX)
    } else {
        0
    };
    let weak_verdict = Some(WeakVerdict {
        rules_say_phi: contains_phi,
        weak_evidence: weak_phi && !strong,
        strong_evidence: strong,
        strong_findings,
        model_probability: None,
        model_words: 0,
    });
    ScanResult {
        findings,
        contains_phi,
        weak_phi,
        weak_verdict,
        categories,
    }
}

/// The rules of [`same_shape_ids`], one per label it copies. What they find is evidence
/// already counted: the number they copy the label from.
const SAME_SHAPE_RULES: &[&str] = &[
    "mrn.same_shape",
    "member_id.same_shape",
    "account.same_shape",
    "other_id.same_shape",
];

/// "Claim ICN 2225042118830 ... 2225042118831", a pharmacy's "Rx # 6620418-07" then
/// "6620419-02" down its column, "E24-1240415" and, a row below, "E24-1251102": a message that
/// names one record number (an MRN, member, account or other ID the rules found, with a
/// letter or a hyphen and five digits or more) names its siblings the same way, and a table's
/// or a list's later rows seldom repeat the words that found the first. A number of exactly
/// the same shape (letters, digits and hyphens in the same places, the same leading letters)
/// that no rule claimed (nor blocked: an order number stays one) gets the same label. Phone
/// shapes ("555-0142") are left to the phone rules. Style corpus (12,550 e-mails, 2026-12-02):
/// 225 more record numbers found for 24 spans that are not; no message's verdict changes, as
/// these findings are not counted as evidence ([`SAME_SHAPE_RULES`]). And the very same number
/// again, shorter ones too ("Rx 6620418" in the subject, "LC25-0297" in "NOV_LC25-0297.pdf", an
/// attachment's name: blind batch 110; on the style corpus 92 more found, 29 not labelled, 18
/// of them file names, which the corpus's authors label in about two of three). Linear: a
/// vectorised search for each of at most eight shapes' leading letters and one walk from digit
/// to digit (or, without a shape led by digits, a vectorised search for each of at most eight
/// exact numbers), and only when such a number was found.
fn same_shape_ids(text: &str, kept: &[&Cand], cands: &[Cand], claimed: &mut Vec<u64>) -> Vec<Cand> {
    const MAX_SHAPES: usize = 8;
    let b = text.as_bytes();
    let mut shapes: Vec<(&[u8], Label, f32)> = Vec::new();
    // (A fixed array: most messages have a number or two, and no allocation for them.)
    let mut exact_slots: [(&[u8], Label, f32); MAX_SHAPES] =
        [(&[], Label::OtherId, 0.0); MAX_SHAPES];
    let mut n_exact = 0;
    for c in kept {
        let Some(label @ (Label::Mrn | Label::MemberId | Label::Account | Label::OtherId)) =
            c.label
        else {
            continue;
        };
        let v = &b[c.start..c.end];
        let digits = v.iter().filter(|c| c.is_ascii_digit()).count();
        let phone = matches!(v.len(), 8 | 12)
            && v.iter().all(|c| c.is_ascii_digit() || *c == b'-')
            && v[v.len() - 5] == b'-';
        // The very same number again (shorter ones too: "Rx 6620418", "LC25-0297"), and again
        // in an attachment's file name ("NOV_LC25-0297.pdf").
        if v.len() >= 6
            && digits >= 4
            && v.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
            && v[0].is_ascii_alphanumeric()
            && !phone
            && n_exact < MAX_SHAPES
            && !exact_slots[..n_exact].iter().any(|(w, ..)| *w == v)
        {
            exact_slots[n_exact] = (v, label, c.score);
            n_exact += 1;
        }
        if v.len() >= 7
            && digits >= 5
            && v.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
            // (All digits: eight or more, longer than a year, a ZIP code or a pharmacy's
            // seven-digit NCPDP number.)
            && (v.len() >= 8 || v.iter().any(|c| !c.is_ascii_digit()))
            && v[0].is_ascii_alphanumeric()
            && !phone
            && shapes.len() < MAX_SHAPES
        {
            shapes.push((v, label, c.score));
        }
    }
    let exact = &exact_slots[..n_exact];
    let mut twins = Vec::new();
    if shapes.is_empty() && exact.is_empty() {
        return twins;
    }
    // Same shape: the same length, each byte of the same class, the leading letters equal.
    let same_shape = |v: &[u8], w: &[u8]| {
        v.len() == w.len() && {
            let lead = v.iter().take_while(|c| c.is_ascii_alphabetic()).count();
            v[..lead] == w[..lead]
                && v.iter().zip(w).all(|(x, y)| {
                    x.is_ascii_digit() == y.is_ascii_digit()
                        && x.is_ascii_alphabetic() == y.is_ascii_alphabetic()
                })
        }
    };
    let part = |c: u8| c.is_ascii_alphanumeric() || c == b'-';
    let joins = |c: u8| part(c) || c == b'_' || !c.is_ascii();
    // The shapes' and the exact numbers' lengths, a bit each (one of 64 bytes or more gets
    // none, and no twin).
    let length_bits = |list: &[(&[u8], Label, f32)]| {
        list.iter().fold(0u64, |m, (v, ..)| {
            m | 1u64.checked_shl(v.len() as u32).unwrap_or(0)
        })
    };
    let (lengths, exact_lengths) = (length_bits(&shapes), length_bits(exact));
    let has_length = |bits: u64, n: usize| bits & 1u64.checked_shl(n as u32).unwrap_or(0) != 0;
    let mut gathered = false;
    let mut twin = |st: usize, e: usize, label: Label, score: f32, reason: &'static str| {
        // Where any rule found or blocked something, whether or not it was kept: gathered at
        // the first number that may be a twin (a message with only exact numbers seldom
        // repeats one, and then they are never gathered).
        if !gathered {
            claimed.clear();
            claimed.resize(text.len() / 64 + 1, 0);
            for c in cands {
                if c.start < c.end && c.end <= text.len() {
                    bits_set(claimed, c.start, c.end);
                }
            }
            gathered = true;
        }
        if !bits_any(claimed, st, e) && !equipment_number_before(&b[st.saturating_sub(16)..st]) {
            twins.push(Cand {
                label: Some(label),
                start: st,
                end: e,
                score,
                rule: same_shape_rule(label),
                reason,
                seq: 0,
            });
        }
    };
    // The run of letters, digits and hyphens in `st..e`: the number of a shape found, if it is
    // a whole one (it starts with a letter or a digit and runs into no word or non-ASCII char
    // either side); or, `exact_too`, one of the exact numbers again (an underscore may join
    // it: a file's name). Where a rule claimed it (as where it was found), `twin` passes.
    let mut run_at = |st: usize, e: usize, exact_too: bool| {
        let w = &b[st..e];
        if exact_too
            && has_length(exact_lengths, e - st)
            && (st == 0 || b[st - 1].is_ascii())
            && b.get(e).is_none_or(u8::is_ascii)
            && let Some(&(_, label, score)) = exact.iter().find(|(v, ..)| *v == w)
        {
            twin(
                st,
                e,
                label,
                score,
                "a record number found in the same message, again",
            );
        } else if has_length(lengths, e - st)
            && b[st].is_ascii_alphanumeric()
            && !(st > 0 && joins(b[st - 1]))
            && !(e < b.len() && joins(b[e]))
            // ("RXA|0|1|20251013||141^Influenza": a date written CCYYMMDD in an HL7 segment,
            // beside an eight-digit chart number, blind batch 60.)
            && !rules::ccyymmdd(w)
            && let Some(&(_, label, score)) = shapes.iter().find(|(v, ..)| same_shape(v, w))
        {
            twin(
                st,
                e,
                label,
                score,
                "shaped like a record number found in the same message",
            );
        }
    };
    let run_end = |mut e: usize| {
        while e < b.len() && part(b[e]) {
            e += 1;
        }
        e
    };
    // Numbers led by letters ("KF-20488"): where their letters occur (a vectorised search).
    let mut leads: Vec<&[u8]> = Vec::new();
    for (v, ..) in &shapes {
        let lead = &v[..v.iter().take_while(|c| c.is_ascii_alphabetic()).count()];
        if !lead.is_empty() && !leads.contains(&lead) {
            leads.push(lead);
        }
    }
    for lead in leads {
        let mut from = 0;
        for at in memchr::memmem::find_iter(b, lead) {
            // (The leading letters end there: a digit or a hyphen must follow, or it is a word
            // that starts the same way.)
            if at >= from
                && b.get(at + lead.len())
                    .is_some_and(|&c| c.is_ascii_digit() || c == b'-')
            {
                from = run_end(at);
                run_at(at, from, false);
            }
        }
    }
    // Numbers led by digits ("25-279-14420", "6620418-07"), and the exact numbers again: from
    // digit to digit, looking at the run of letters, digits and hyphens around each once.
    let digit_led = shapes.iter().any(|(v, ..)| v[0].is_ascii_digit());
    if digit_led {
        let mut i = 0;
        // (Where the last run ended: the search below skips sixteen bytes at a time, into the
        // letters that may open the next run, "RR-2026-0419".)
        let mut prev = 0;
        loop {
            // Sixteen bytes at a time while there is no digit (a fold without an early exit,
            // which the compiler turns into vector instructions).
            while let Some(chunk) = b.get(i..i + 16)
                && !chunk.iter().fold(false, |any, c| any | c.is_ascii_digit())
            {
                i += 16;
            }
            let Some(d) = b[i..].iter().position(u8::is_ascii_digit) else {
                break;
            };
            let mut st = i + d;
            while st > prev && part(b[st - 1]) {
                st -= 1;
            }
            i = run_end(i + d + 1);
            prev = i;
            run_at(st, i, true);
        }
    } else {
        // (No walk from digit to digit: a vectorised search for each exact number, at most
        // eight, and only for it.)
        for &(v, ..) in exact {
            for st in memchr::memmem::find_iter(b, v) {
                let e = st + v.len();
                if (st == 0 || !part(b[st - 1])) && (e == b.len() || !part(b[e])) {
                    run_at(st, e, true);
                }
            }
        }
    }
    // (A number found from one shape's letters may be another's twin too, found twice.)
    twins.sort_unstable_by_key(|c| c.start);
    twins.dedup_by_key(|c| c.start);
    twins
}

/// The rule of [`SAME_SHAPE_RULES`] that copies `label`.
fn same_shape_rule(label: Label) -> &'static str {
    match label {
        Label::Mrn => SAME_SHAPE_RULES[0],
        Label::MemberId => SAME_SHAPE_RULES[1],
        Label::Account => SAME_SHAPE_RULES[2],
        _ => SAME_SHAPE_RULES[3],
    }
}

/// Does the word before a number say it is equipment's or a business's ("SN 12903318", "lot
/// 25061719", "asset 38852", "PO 44718203")? Such a number is no record number's twin, whatever
/// its shape.
fn equipment_number_before(before: &[u8]) -> bool {
    let w = before.trim_ascii_end();
    let w = w.strip_suffix(b":").unwrap_or(w).trim_ascii_end();
    let w = w.strip_suffix(b"#").unwrap_or(w).trim_ascii_end();
    let start = w
        .iter()
        .rposition(|c| !(c.is_ascii_alphanumeric() || *c == b'/'))
        .map_or(0, |i| i + 1);
    let word = &w[start..];
    [
        &b"sn"[..],
        b"s/n",
        b"serial",
        b"lot",
        b"asset",
        b"model",
        b"po",
        b"invoice",
        b"order",
        b"ticket",
        b"tracking",
        b"part",
        b"p/n",
        b"sku",
        b"udi",
    ]
    .iter()
    .any(|x| word.eq_ignore_ascii_case(x))
}

/// Does a weak name come within 400 bytes before a diagnosis given as one person's: an ICD-10
/// code in brackets after its words, or on a "Condition:", "Diagnosis:" or "Dx:" line
/// ("Employee: Patrick K. Yamamoto ... Condition: Chronic migraine (G43.709), under treatment
/// since 04/2023")? A leave certification's or a referral's block about one person. Not a
/// table's row of counts ("New diagnoses, type 2 diabetes (E11.9)   -   84"). Or a table's
/// row that names someone and gives a code or a drug in another cell. Linear: each finding is
/// looked at once.
/// Is a drug someone's ("restarting his Eliquis", "wouldn't fill my gabapentin", "her
/// Lantus pens") within [`CARE_CONTEXT_REACH`] of weak evidence? A person's own medicine
/// speaks of their care as the listed words do (blind set UN: a nursing home's STAT draw "for
/// Mr. Okonkwo in 212 ... before he decides on restarting his Eliquis"). Linear: the findings
/// are in text order and each drug looks back and ahead once.
fn possessed_drug_near(
    text: &str,
    findings: &[Finding],
    is_weak: impl Fn(&&Finding) -> bool,
) -> bool {
    let b = text.as_bytes();
    findings.iter().enumerate().any(|(k, f)| {
        if f.label != Label::Medication {
            return false;
        }
        let before = &b[..f.start_byte];
        let owner = [&b"his "[..], b"her ", b"my "]
            .iter()
            .any(|w| rules::ends_with_word(before, w));
        owner
            && (findings[..k]
                .iter()
                .rev()
                .take_while(|g| g.start_byte + CARE_CONTEXT_REACH >= f.start_byte)
                .any(|g| is_weak(&g))
                || findings[k + 1..]
                    .iter()
                    .take_while(|g| g.start_byte <= f.end_byte + CARE_CONTEXT_REACH)
                    .any(|g| is_weak(&g)))
    })
}

fn name_with_a_diagnosis(text: &str, findings: &[Finding]) -> bool {
    // The last weak name seen, in text order.
    let mut last_name: Option<usize> = None;
    findings.iter().any(|f| {
        if f.label == Label::Person && f.score >= PHI_THRESHOLD {
            last_name = Some(f.end_byte);
            return false;
        }
        if !matches!(f.label, Label::Icd10 | Label::Medication)
            || last_name.is_none_or(|e| f.start_byte - e > 400)
        {
            return false;
        }
        let ls = text[..f.start_byte].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[ls..f.start_byte];
        // "| Pettaway, Odessa | Birch | Sacrum PI stage 4 | L89.154 | 08/29/2024 |", "| Teresa
        // Holm | blue tarp, east end | wound check, on doxycycline since Fri |": a table's row
        // that names someone and, in another cell, a code or a drug (a wound report, an
        // outreach team's list; blind sets TW and UG).
        if last_name.is_some_and(|e| e > ls) && line.bytes().filter(|&c| c == b'|').count() >= 2 {
            return true;
        }
        f.label == Label::Icd10 && {
            let l = line.trim_start().to_ascii_lowercase();
            // (Not a table's row of counts: "New diagnoses, type 2 diabetes (E11.9)   -   84".)
            let rest = &text[f.end_byte..];
            let rest = &rest[..rest.find('\n').unwrap_or(rest.len())];
            // (The bracket holds the code alone: "Chronic migraine (G43.709)", not a list of
            // choices, "include the diagnosis (R06.83 snoring, G47.33 suspected OSA".)
            (line.ends_with('(') && line.len() > 1 && rest.starts_with(')')
                || ["condition:", "diagnosis:", "dx:", "diagnoses:"]
                    .iter()
                    .any(|h| l.starts_with(h)))
                && !rest.contains("  ")
        }
    })
}

/// Does a list item start with a name the rules found (weakly) and go on, on the same line, to a
/// drug: "- Schlabach: d/c Renvela, start Velphoro 500 mg TID", "- Consuelo Arredondo - dtr
/// called, no BM x4 days. Advised bisacodyl"? A charge nurse's or a dialysis unit's list of
/// its patients' orders. (Only at a list item's start: "Welcome Dana Ruiz, who runs our Eliquis
/// clinic" names a colleague.) Linear: each finding is looked at once or twice.
fn list_item_with_a_drug(text: &str, findings: &[Finding]) -> bool {
    let b = text.as_bytes();
    findings.iter().enumerate().any(|(k, p)| {
        // A surname alone (colleagues are listed by first name), or a full name the name
        // lists know followed by a dash or a colon ("- Lauren Beck (Novartis) left Entresto
        // samples" is a sales rep).
        // ("- Kowalczyk, Irene 00648127 5W-221 - new admit, ... on apixaban": a record number
        // and a room's code may come between the name and the dash.)
        // ("- Olga Kuznetsova, 10/8 10:40 AM - E05.00, methimazole titration": a name and a
        // date, the list item rule's shape.)
        let shape = p.rule == "person.list_surname"
            || p.rule == "person.list_item"
            || p.rule == "person.dictionary" && text[p.start_byte..p.end_byte].contains(' ') && {
                let rest = rules::skip_codes(&text[p.end_byte..], 2, 14);
                [" - ", " \u{2013} ", ": ", ", "]
                    .iter()
                    .any(|s| rest.starts_with(s))
            };
        if p.label != Label::Person || p.score < PHI_THRESHOLD || !shape {
            return false;
        }
        // (The lead within 200 bytes, the drug within 300: a line may be megabytes.)
        let from = p.start_byte.saturating_sub(200);
        let Some(nl) = memchr::memrchr(b'\n', &b[from..p.start_byte]) else {
            return false;
        };
        let lead = text[from + nl + 1..p.start_byte].trim();
        let bullet = matches!(lead, "-" | "*" | "\u{2022}" | "\u{2013}")
            || (2..=4).contains(&lead.len())
                && lead.ends_with(['.', ')'])
                && lead[..lead.len() - 1].bytes().all(|c| c.is_ascii_digit())
            || rules::room_lead(lead);
        if !bullet {
            return false;
        }
        let to = (p.end_byte + 300).min(b.len());
        let le = memchr::memchr(b'\n', &b[p.end_byte..to]).map_or(to, |i| p.end_byte + i);
        findings[k + 1..]
            .iter()
            .take_while(|f| f.start_byte < le)
            .any(|f| f.label == Label::Medication)
    })
}

/// Is a full name followed by a bracket that holds a drug and its dose ("Dwayne Kessler
/// (Invega Sustenna 156 mg, due today) at ...")? The person takes the drug: a patient, even in
/// mail among colleagues. (A sales representative's bracket names the maker: "Lauren Beck
/// (Novartis)".) Or a full name whose possessive is the drug, with its dose on the line
/// ("one short on Anthony Bucci's clonazepam 0.5 mg card").
fn name_with_a_dosed_drug(text: &str, findings: &[Finding]) -> bool {
    let b = text.as_bytes();
    findings.iter().enumerate().any(|(k, p)| {
        if p.label != Label::Person
            || p.score < PHI_THRESHOLD
            || !text[p.start_byte..p.end_byte].contains(' ')
        {
            return false;
        }
        let rest = &text[p.end_byte..];
        if let Some(drug_at) = ["'s ", "\u{2019}s "]
            .iter()
            .find_map(|s| rest.starts_with(s).then(|| p.end_byte + s.len()))
        {
            return findings
                .get(k + 1)
                .is_some_and(|f| f.label == Label::Medication && f.start_byte == drug_at)
                && dose_on_line(text, drug_at, 60);
        }
        // "  Pemberton, Ada      7031190   Lorazepam 0.5 mg tab   10/06/2025": a name opening
        // a line of a dispensing record or a MAR, then on the line a drug and its dose.
        let ls = memchr::memrchr(b'\n', &b[..p.start_byte]).map_or(0, |i| i + 1);
        if text[ls..p.start_byte]
            .trim_start_matches(['>', ' ', '\t'])
            .is_empty()
        {
            let to = (p.end_byte + 80).min(b.len());
            let le = memchr::memchr(b'\n', &b[p.end_byte..to]).map_or(to, |i| p.end_byte + i);
            if findings[k + 1..]
                .iter()
                .take_while(|f| f.start_byte < le)
                .find(|f| f.label == Label::Medication)
                .is_some_and(|drug| dose_on_line(text, drug.end_byte, 40))
            {
                return true;
            }
        }
        if !rest.starts_with(" (") {
            return false;
        }
        // The bracket: to its ")" on the same line, within 120 bytes.
        let from = p.end_byte + 2;
        let to = (from + 120).min(b.len());
        let Some(close) = b[from..to]
            .iter()
            .position(|&c| c == b')' || c == b'\n')
            .filter(|&i| b[from + i] == b')')
        else {
            return false;
        };
        let inside = &text[from..from + close];
        findings[k + 1..]
            .iter()
            .take_while(|f| f.start_byte < from + close)
            .any(|f| f.label == Label::Medication)
            && dose_in(inside)
    })
}

/// Is there a dose ([`dose_in`]) within `n` bytes after `from`, before the line ends?
fn dose_on_line(text: &str, from: usize, n: usize) -> bool {
    let b = text.as_bytes();
    let to = (from + n).min(b.len());
    let le = memchr::memchr(b'\n', &b[from..to]).map_or(to, |i| from + i);
    dose_in(&text[from..text.floor_char_boundary(le)])
}

/// Does `s` hold a dose: a number and a unit ("156 mg", "0.5mg", "10 units", "2.5 mL")?
fn dose_in(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len()).any(|i| {
        b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) && {
            let mut j = i;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'.' || b[j] == b',') {
                j += 1;
            }
            if b.get(j) == Some(&b' ') {
                j += 1;
            }
            let unit = &b[j..];
            [&b"mg"[..], b"mcg", b"units", b"unit", b"ml", b"g"]
                .iter()
                .any(|u| {
                    unit.len() >= u.len()
                        && unit[..u.len()].eq_ignore_ascii_case(u)
                        && unit.get(u.len()).is_none_or(|c| !c.is_ascii_alphabetic())
                })
        }
    })
}

/// The candidate's place in the overlap resolution order as one integer (ascending = first):
/// score descending (as `f32::total_cmp`), length descending, start, then `seq` (its index
/// among the candidates). Exact when the text and the candidate count fit in `u32`.
#[inline]
fn priority_key(c: &Cand, seq: usize) -> u128 {
    let bits = c.score.to_bits();
    // `total_cmp`'s order as an unsigned key: flip the magnitude bits of negatives, then the
    // sign bit.
    let total = (bits ^ ((bits >> 31) * 0x7fff_ffff)) ^ 0x8000_0000;
    let len = c.end.saturating_sub(c.start) as u128;
    u128::from(!total) << 96
        | (u128::from(u32::MAX) - len) << 64
        | (c.start as u128) << 32
        | seq as u128
}

/// The bits of word `w` that fall in `start..end` (bit `i` of word `w` is position `64w + i`).
#[inline]
fn word_mask(w: usize, start: usize, end: usize) -> u64 {
    let lo = start.saturating_sub(w * 64).min(64);
    let hi = end.saturating_sub(w * 64).min(64);
    let upto = |n: usize| if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
    upto(hi) & !upto(lo)
}

/// [`word_mask`] of the one word holding all of `start..end` (`start < end`, both in the same
/// word of 64 bits): bits `start % 64` to `(end - 1) % 64`.
#[inline]
fn span_mask(start: usize, end: usize) -> u64 {
    (u64::MAX << (start % 64)) & (u64::MAX >> (63 - (end - 1) % 64))
}

/// Is any bit in `start..end` set? (`end <= 64 * bits.len()`.)
fn bits_any(bits: &[u64], start: usize, end: usize) -> bool {
    // Most spans lie in one word: one mask, no loop.
    if start < end && start / 64 == (end - 1) / 64 {
        return bits
            .get(start / 64)
            .is_some_and(|&b| b & span_mask(start, end) != 0);
    }
    (start / 64..end.div_ceil(64)).any(|w| {
        bits.get(w)
            .is_some_and(|&b| b & word_mask(w, start, end) != 0)
    })
}

/// Marks `start..end` in `covered`, and in `shared` the bits of it `covered` already had.
fn bits_share(covered: &mut [u64], shared: &mut [u64], start: usize, end: usize) {
    for w in start / 64..end.div_ceil(64) {
        if let (Some(c), Some(s)) = (covered.get_mut(w), shared.get_mut(w)) {
            let m = word_mask(w, start, end);
            *s |= *c & m;
            *c |= m;
        }
    }
}

/// Sets every bit in `start..end`.
fn bits_set(bits: &mut [u64], start: usize, end: usize) {
    if start < end && start / 64 == (end - 1) / 64 {
        if let Some(b) = bits.get_mut(start / 64) {
            *b |= span_mask(start, end);
        }
        return;
    }
    for w in start / 64..end.div_ceil(64) {
        if let Some(b) = bits.get_mut(w) {
            *b |= word_mask(w, start, end);
        }
    }
}

/// Runs `value` anchored at `at`; returns the match end.
pub(crate) fn anchored(re: &Regex, text: &str, at: usize) -> Option<usize> {
    // Values are short: bounding the search keeps a run of keywords linear overall.
    let end = (at + 64).min(text.len());
    let input = Input::new(text).range(at..end).anchored(Anchored::Yes);
    re.find(input).map(|m| m.end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_debug_never_contains_the_value() {
        let s = Scanner::new();
        let r = s.scan("Patient SSN: 123-45-6789");
        assert!(r.contains_phi);
        let dbg = format!("{r:?}");
        assert!(!dbg.contains("6789"), "{dbg}");
    }

    #[test]
    fn priority_key_orders_as_the_comparator() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut rnd = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let scores = [
            0.0,
            -0.0,
            0.3,
            0.45,
            0.5,
            0.6,
            0.9,
            0.95,
            1.0,
            -0.5,
            f32::MIN_POSITIVE,
        ];
        for _ in 0..300 {
            let n = rnd(40) as usize;
            let cands: Vec<Cand> = (0..n)
                .map(|seq| {
                    let start = rnd(50) as usize;
                    Cand {
                        label: None,
                        start,
                        end: start + rnd(6) as usize,
                        score: scores[rnd(scores.len() as u64) as usize],
                        rule: "",
                        reason: "",
                        seq,
                    }
                })
                .collect();
            let mut by_cmp: Vec<usize> = (0..n).collect();
            by_cmp.sort_by(|&a, &b| {
                let (a, b) = (&cands[a], &cands[b]);
                b.score
                    .total_cmp(&a.score)
                    .then((b.end - b.start).cmp(&(a.end - a.start)))
                    .then(a.start.cmp(&b.start))
                    .then(a.seq.cmp(&b.seq))
            });
            let mut by_key: Vec<usize> = (0..n).collect();
            by_key.sort_by_key(|&i| priority_key(&cands[i], i));
            assert_eq!(by_cmp, by_key);
        }
    }

    #[test]
    fn resolve_sorts_only_overlaps() {
        // Random candidates (some empty, reversed or cutting a char, some blockers) resolved
        // by sorting all of them and by sorting only those that overlap another: the same
        // findings.
        let mut seed = 0x0123_4567_89ab_cdefu64;
        let mut rnd = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n.max(1)
        };
        let text = "Ann Lee é 123-45-6789 ß xx ".repeat(30);
        let labels = [
            None,
            Some(Label::Person),
            Some(Label::Ssn),
            Some(Label::Date),
        ];
        let scores = [0.0, 0.5, 0.6, 0.85, 0.9, 0.95];
        for _ in 0..2_000 {
            let n = rnd(200) as usize;
            let cands: Vec<Cand> = (0..n)
                .map(|_| {
                    let start = rnd(text.len() as u64 + 1) as usize;
                    let end = if rnd(20) == 0 {
                        start.saturating_sub(rnd(3) as usize)
                    } else if rnd(10) == 0 {
                        start + rnd(90) as usize
                    } else {
                        start + rnd(10) as usize
                    };
                    Cand {
                        label: labels[rnd(labels.len() as u64) as usize],
                        start,
                        end: end.min(text.len()),
                        score: scores[rnd(scores.len() as u64) as usize],
                        rule: "r",
                        reason: "",
                        seq: 0,
                    }
                })
                .collect();
            let run = |sort_all: usize| {
                let mut sc = rules::Scratch::default();
                sc.cands = cands.clone();
                resolve(&text, &mut sc, sort_all).findings
            };
            assert_eq!(run(usize::MAX), run(0));
        }
    }

    #[test]
    fn a_name_found_in_parts_is_one_finding() {
        let person = |text: &str, word: &str, score: f32, rule: &'static str| {
            let start = text.find(word).expect("word in text");
            Finding {
                label: Label::Person,
                start_char: start,
                end_char: start + word.len(),
                start_byte: start,
                end_byte: start + word.len(),
                score,
                rule,
                reason: "",
            }
        };
        // One space, or a middle initial with or without its dot: one name.
        for (text, first, last) in [
            (
                "On Mon at 4:12 PM Joan Kreiser <j@x.net> wrote:",
                "Joan",
                "Kreiser",
            ),
            (
                "MEMBER:    CONSTANCE L ALBRIGHT     DOB",
                "CONSTANCE",
                "ALBRIGHT",
            ),
            ("Elijah R. Mensah called", "Elijah", "Mensah"),
        ] {
            let mut f = vec![
                person(text, first, 0.75, "person.coref"),
                person(text, last, 0.9, "person.title"),
            ];
            join_split_names(text, &mut f);
            assert_eq!(f.len(), 1, "{text}");
            let whole = &text[f[0].start_byte..f[0].end_byte];
            assert!(whole.starts_with(first) && whole.ends_with(last), "{text}");
            assert_eq!((f[0].score, f[0].rule), (0.9, "person.title"));
        }
        // Two people apart by a comma, a line or two spaces, and a name beside a date: apart.
        for (text, a, b) in [
            ("cc: Kreiser, Hollenbach", "Kreiser", "Hollenbach"),
            ("Joan\nKreiser", "Joan", "Kreiser"),
            ("Joan  Kreiser", "Joan", "Kreiser"),
            ("Joan and Kreiser", "Joan", "Kreiser"),
        ] {
            let mut f = vec![
                person(text, a, 0.8, "person.coref"),
                person(text, b, 0.8, "person.coref"),
            ];
            join_split_names(text, &mut f);
            assert_eq!(f.len(), 2, "{text}");
        }
        let text = "Joan 3/12";
        let mut f = vec![person(text, "Joan", 0.8, "person.coref"), {
            let mut d = person(text, "3/12", 0.8, "date.context");
            d.label = Label::Date;
            d
        }];
        join_split_names(text, &mut f);
        assert_eq!(f.len(), 2);
    }

    #[test]
    fn span_mask_agrees_with_word_mask() {
        for start in 0..200 {
            for end in start + 1..start + 70 {
                if start / 64 == (end - 1) / 64 {
                    assert_eq!(
                        span_mask(start, end),
                        word_mask(start / 64, start, end),
                        "{start}..{end}"
                    );
                }
            }
        }
    }

    #[test]
    fn scanner_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Scanner>();
    }
}
