//! The status words of AgentCore resources (the model's
//! `AgentRuntimeStatus`; endpoints' `AgentRuntimeEndpointStatus` uses the
//! same words), as the flow reads them while checking and following.

/// The status of a runtime (the model's `AgentRuntimeStatus`; endpoints'
/// `AgentRuntimeEndpointStatus` uses the same words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// `CREATING`
    Creating,
    /// `CREATE_FAILED`
    CreateFailed,
    /// `UPDATING`
    Updating,
    /// `UPDATE_FAILED`
    UpdateFailed,
    /// `READY`
    Ready,
    /// `DELETING`
    Deleting,
    /// `DELETE_FAILED`
    DeleteFailed,
    /// A value the model does not list (a newer service), kept as sent.
    Other(String),
}

impl Status {
    /// Every modeled status, in the model's order.
    pub const KNOWN: [Status; 7] = [
        Status::Creating,
        Status::CreateFailed,
        Status::Updating,
        Status::UpdateFailed,
        Status::Ready,
        Status::Deleting,
        Status::DeleteFailed,
    ];

    /// Reads a status as the service sends it.
    pub fn parse(text: &str) -> Self {
        Self::KNOWN
            .into_iter()
            .find(|s| s.as_str() == text)
            .unwrap_or_else(|| Status::Other(text.to_owned()))
    }

    /// The status as the service writes it.
    pub fn as_str(&self) -> &str {
        match self {
            Status::Creating => "CREATING",
            Status::CreateFailed => "CREATE_FAILED",
            Status::Updating => "UPDATING",
            Status::UpdateFailed => "UPDATE_FAILED",
            Status::Ready => "READY",
            Status::Deleting => "DELETING",
            Status::DeleteFailed => "DELETE_FAILED",
            Status::Other(s) => s,
        }
    }

    /// Whether the status ends an update (nothing is in progress).
    pub fn is_final(&self) -> bool {
        !matches!(self, Status::Creating | Status::Updating | Status::Deleting)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::ServiceModel;

    #[test]
    fn every_modeled_status_is_a_known_variant() {
        let model = ServiceModel::bundled();
        let crate::core::model::ShapeKind::Enum(values) = &model.shape("AgentRuntimeStatus").kind
        else {
            panic!("AgentRuntimeStatus is an enum in the model");
        };
        let known: Vec<&str> = Status::KNOWN.iter().map(Status::as_str).collect();
        assert_eq!(known, values.iter().map(String::as_str).collect::<Vec<_>>());
        // Endpoints' statuses are the same words, so `Status` covers them.
        let crate::core::model::ShapeKind::Enum(endpoint_values) =
            &model.shape("AgentRuntimeEndpointStatus").kind
        else {
            panic!("AgentRuntimeEndpointStatus is an enum in the model");
        };
        assert_eq!(endpoint_values, values);
        for v in values {
            assert!(!matches!(Status::parse(v), Status::Other(_)), "{v}");
        }
        assert_eq!(
            Status::parse("NEW_THING"),
            Status::Other("NEW_THING".into())
        );
        assert!(!Status::Updating.is_final() && Status::UpdateFailed.is_final());
    }
}
