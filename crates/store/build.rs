//! `sqlx::migrate!` embeds the migration folders at compile time but cannot tell cargo
//! about files added later; without this a new migration would be silently left out.

#![allow(
    clippy::print_stdout,
    reason = "cargo reads build script directives from stdout"
)]

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
