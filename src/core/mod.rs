//! The protocol core: everything the console decides, with no browser
//! dependency. Effects (clock, randomness, network) are passed in.

pub mod client;
pub mod credentials;
pub mod diff;
pub mod draft;
pub mod endpoint;
pub mod model;
pub mod request;
pub mod response;
pub mod sign;
pub mod validate;
