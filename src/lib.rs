//! agentcore-console: a browser console for Amazon Bedrock AgentCore
//! `UpdateAgentRuntime`.
//!
//! [`core`] is the pure, host-tested heart (service model, validation,
//! request building, signing, response and credential parsing); [`ui`] is the
//! thin Leptos shell that renders it.

pub mod core;
pub mod ui;
