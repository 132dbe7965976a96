//! The protocol core: everything the console decides, with no browser
//! dependency. Effects (clock, randomness, network) are passed in.

pub mod credentials;
pub mod draft;
pub mod endpoint;
pub mod model;
pub mod validate;
pub mod request;
pub mod sign;
pub mod response;
pub mod client;
pub mod diff;
