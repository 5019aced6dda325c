//! A hello-world lambda_http function, the baseline of the init-time comparison in `make bench`
//! (`benches/lambda.rs`). Like `bootstrap` it runs tokio's single-threaded runtime, so the
//! comparison measures what `bootstrap` does at start-up beyond lambda_http itself.

use lambda_http::{service_fn, Body, Error, Request, Response};

fn main() -> Result<(), Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(lambda_http::run(service_fn(|_: Request| async {
            Ok::<_, Error>(Response::new(Body::from("hello")))
        })))
}
