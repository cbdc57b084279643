//! The core's boundary, stated as a test: no JavaScript binding crate and no async runtime
//! may enter its dependency tree (they belong to `bindings-*`).

use std::process::Command;

const FORBIDDEN: &[&str] = &[
    "wasm-bindgen", "js-sys", "web-sys", "serde-wasm-bindgen", "gloo-net", "gloo-utils",
    "napi", "napi-derive", "napi-sys", "napi-build",
    "tokio", "async-std", "smol", "async-executor", "futures-executor",
];

#[test]
fn core_has_no_binding_or_runtime_dependency() {
    let output = Command::new(env!("CARGO"))
        .args(["tree", "-p", "bridle", "--edges", "normal,build", "--prefix", "none", "--format", "{p}"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(output.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&output.stderr));
    let tree = String::from_utf8(output.stdout).unwrap();
    let crates: Vec<&str> = tree.lines().filter_map(|line| line.split_whitespace().next()).collect();
    assert!(crates.contains(&"bridle"), "unexpected cargo tree output:\n{tree}");
    let found: Vec<&str> = crates.iter().copied().filter(|name| FORBIDDEN.contains(name)).collect();
    assert!(found.is_empty(), "the core depends on {found:?}:\n{tree}");
    println!("core dependencies: {}", crates.len());
}
