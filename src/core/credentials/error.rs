//! Why pasted credentials are refused, and what the user should know
//! about the ones accepted.

/// Something about accepted credentials that the user should know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CredentialsWarning {
    /// The key id starts with `AKIA`: a long-term IAM user key.
    #[error(
        "These are long-term access keys (AKIA…) of an IAM user. They work, but a leak stays \
         dangerous until the key is deleted: prefer temporary credentials from \
         `aws sts get-session-token` or `aws sts assume-role`."
    )]
    LongTermKey,
    /// No session token was given and the key id is not a temporary one.
    #[error(
        "No session token was given, so these are not temporary credentials. Prefer \
         temporary credentials from `aws sts get-session-token` or `aws sts assume-role`."
    )]
    NoSessionToken,
    /// The key id starts with `ASIA` (temporary) but no session token came
    /// with it: AWS will reject the requests.
    #[error(
        "The access key id starts with ASIA, which marks temporary credentials, but no \
         session token was given; AWS will reject requests until you add the session token \
         (AWS_SESSION_TOKEN) that came with it."
    )]
    MissingSessionToken,
    /// The access key id does not look like one AWS issues.
    #[error(
        "The access key id {masked} looks unusual: {problem}. Check that you copied the \
         access key id (not the secret) in full."
    )]
    UnusualAccessKeyId {
        /// The masked key id.
        masked: String,
        /// What is unusual about it.
        problem: String,
    },
    /// The secret access key does not look like one AWS issues.
    #[error(
        "The secret access key looks unusual: {problem}. Check that you copied the secret \
         access key in full."
    )]
    UnusualSecretAccessKey {
        /// What is unusual about it (never the secret itself).
        problem: String,
    },
    /// The pasted text held several credential profiles; only one was used.
    #[error(
        "The pasted text holds several profiles; only the first one, [{used}], was used. \
         Paste a single profile to use another."
    )]
    SeveralProfiles {
        /// The profile whose values were used.
        used: String,
    },
}

/// Why pasted credentials were refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CredentialsError {
    /// Nothing but whitespace was given.
    #[error(
        "Nothing was pasted. Paste the output of `aws sts assume-role`, `aws sts \
         get-session-token` or `aws configure export-credentials`, or the AWS_ACCESS_KEY_ID / \
         AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN lines."
    )]
    Empty,
    /// The text is none of the accepted formats.
    #[error(
        "The pasted text is not in a credentials format this console reads. Paste one of: the \
         JSON output of `aws sts assume-role` / `get-session-token` / `get-federation-token`; \
         the JSON of `aws configure export-credentials`; its `--format env` lines (`export \
         AWS_ACCESS_KEY_ID=…`, `set …`, `$Env:…`); or `aws_access_key_id = …` lines from \
         ~/.aws/credentials. Or type the three values into the separate fields."
    )]
    UnrecognizedFormat,
    /// Valid JSON, but not a credentials document.
    #[error(
        "The pasted JSON is not a credentials document: it has neither `Credentials` (as \
         printed by `aws sts assume-role` / `get-session-token`) nor `AccessKeyId` (as printed \
         by `aws configure export-credentials`). Paste the complete output of one of these \
         commands."
    )]
    UnrecognizedJson,
    /// The text looks like JSON but does not parse.
    #[error(
        "The pasted text looks like JSON but cannot be read: {problem} at line {line}, column \
         {column}. Copy the complete command output again."
    )]
    InvalidJson {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What serde_json found wrong.
        problem: String,
    },
    /// A required value is absent or empty.
    #[error("The pasted {container} has no `{field}`. Copy the complete output again.")]
    MissingField {
        /// `JSON` or `text`.
        container: &'static str,
        /// The name of the missing member or variable.
        field: String,
    },
    /// A value typed into a separate field is empty.
    #[error("The {field} is empty. Fill it in, or paste the whole credentials output instead.")]
    EmptyField {
        /// The field, e.g. `access key ID`.
        field: &'static str,
    },
    /// A JSON member has the wrong type.
    #[error(
        "`{field}` in the pasted JSON should be {expected}. Copy the command output again \
         without editing it."
    )]
    WrongType {
        /// The JSON member.
        field: String,
        /// What it should have been, e.g. `a string`.
        expected: &'static str,
    },
    /// A value contains whitespace, control or non-ASCII characters that
    /// credentials never contain (and that could not be sent in a header).
    #[error(
        "The {field} contains spaces, line breaks or other characters that AWS credentials \
         never contain. Copy it again as one unbroken value."
    )]
    InvalidCharacters {
        /// The field, e.g. `session token`.
        field: &'static str,
    },
    /// The expiration is not a readable timestamp.
    #[error(
        "The expiration `{value}` is not a valid timestamp ({problem}). It should look like \
         2026-11-28T22:31:42Z or 2026-11-28T22:31:42+00:00."
    )]
    InvalidExpiration {
        /// The value as pasted (at most 64 characters of it).
        value: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The credentials are known to have expired.
    #[error(
        "These credentials expired at {expired_at} ({ago}). Get new ones (e.g. `aws sts \
         assume-role …` or `aws sts get-session-token`) and paste them again."
    )]
    Expired {
        /// The expiration instant in RFC 3339 UTC.
        expired_at: String,
        /// How long ago, e.g. `12 minutes ago`.
        ago: String,
    },
}
