//! Feeds arbitrary bytes to the XEX2 reader: headers, image loading
//! (decryption, decompression), import records and the PE section table.
//! It must return an error for malformed input, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    shared::formats::xex::fuzz_body(data);
});
