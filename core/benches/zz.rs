fn main() {
    use bridle::template::decode_slots_utf8;
    let t = bridle::Template::compile("Hello {name}, you are {age} years old and live in {city}.", &Default::default()).unwrap();
    let inputs: Vec<Vec<u8>> = (0..256).map(|i| format!("sAda{i}\0s{i}\0sZürich").into_bytes()).collect();
    let n: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let mut out = String::new();
    let mut total = 0;
    for i in 0..n { out.clear(); let s = decode_slots_utf8(&inputs[i & 255], 3).unwrap(); t.render_slots_into(&s, &mut out).unwrap(); total += out.len(); }
    println!("{total}");
}
