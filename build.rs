//! Links the release `bootstrap` with `infra/lambda/coldstart.ld`, which gathers the functions
//! that run before the first poll of the Lambda runtime API into one section: a cold start then
//! faults in far fewer pages of code (docs/benchmarks.md). Only ELF targets on Linux, only
//! optimised builds: debug builds and the other binaries link as usual.

use std::path::Path;

const SCRIPT: &str = "infra/lambda/coldstart.ld";

fn main() {
    println!("cargo:rerun-if-changed={SCRIPT}");
    println!("cargo:rerun-if-changed=build.rs");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let release = std::env::var("PROFILE").is_ok_and(|profile| profile == "release");
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let script = Path::new(&manifest_dir).join(SCRIPT);
    if linux && release && script.exists() {
        let script = script.display();
        println!("cargo:rustc-link-arg-bin=bootstrap=-Wl,-T,{script}");
    }
}
