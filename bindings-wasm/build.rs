fn main() {
    // Export the shadow-stack pointer so the facade can restore it after a panic traps:
    // with panic=abort nothing unwinds, and each trap would otherwise leak stack space.
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg=--export=__stack_pointer");
    }
}
