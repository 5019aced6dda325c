//! The `ums-oneroster` binary: everything lives in the library; this only hands over to the CLI.

fn main() -> std::process::ExitCode {
    ums_oneroster::cli::main()
}
