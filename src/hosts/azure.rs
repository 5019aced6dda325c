//! The Azure Functions host: a custom handler. The Functions host starts this process, proxies
//! each HTTP request to it unchanged (`enableProxyingHttpRequest` in `infra/azure/host.json`)
//! on `127.0.0.1:$FUNCTIONS_CUSTOMHANDLER_PORT`, and relays the response; so this is the local
//! host's HTTP server on that port, with the same router.

use std::ffi::OsString;
use std::net::Ipv4Addr;

use clap::Parser;
use tokio::net::TcpListener;

use crate::cli::serve::{self, CliError, ServeArgs};

/// The Azure host's configuration, all from the environment the Functions host passes on.
#[derive(Debug, Parser)]
#[command(name = "bootstrap", no_binary_name = true)]
struct AzureArgs {
    #[command(flatten)]
    serve: ServeArgs,
    /// The port the Functions host forwards requests to.
    #[arg(long, env = "FUNCTIONS_CUSTOMHANDLER_PORT")]
    port: u16,
}

/// Serves the requests the Functions host forwards until it stops the process.
pub fn run() -> Result<(), CliError> {
    let args = AzureArgs::try_parse_from(std::iter::empty::<OsString>())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let (_, state) = serve::state(&args.serve, super::vault_from_variables).await?;
        // Only the Functions host, on the same machine, may reach the handler.
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, args.port)).await?;
        tracing::info!(
            port = args.port,
            "serving as an Azure Functions custom handler"
        );
        super::local::serve(listener, crate::http::app(state)).await?;
        Ok(())
    })
}
