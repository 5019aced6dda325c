//! The `bootstrap` binary of the cloud hosts (AWS Lambda, Azure Functions custom handler):
//! everything lives in the library; this only hands over to it.

fn main() -> std::process::ExitCode {
    ums_oneroster::hosts::cloud_main()
}
