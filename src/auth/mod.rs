//! Authentication and authorization: OAuth 2 client credentials, stateless signed access
//! tokens, and the scopes each route requires.

pub mod client;
pub mod scope;
pub mod token;

pub use scope::{Requirement, Scope};
pub use token::{Claims, TokenIssuer};

/// Why a request was not authenticated or not authorized.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("no bearer token was sent")]
    MissingToken,
    #[error("the bearer token is invalid or expired")]
    InvalidToken,
    /// Signed with a key this tenant does not hold (or no longer, or not yet: rotation).
    #[error("the bearer token is invalid or expired")]
    RejectedSignature,
    #[error("the token's scope does not allow this request")]
    InsufficientScope,
}
