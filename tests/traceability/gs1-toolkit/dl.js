// Reads {"compress": [uri...], "decompress": [uri...], "valid": [uri...]} on stdin and prints
// the answers of GS1's own toolkit (GS1DigitalLinkCompressionPrototype via digital-link.js).
const { DigitalLink, Utils } = require('digital-link.js');

const run = (fn) => { try { return { ok: fn() }; } catch (e) { return { error: String(e) }; } };
let input = '';
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const job = JSON.parse(input);
  console.log(JSON.stringify({
    compress: (job.compress || []).map((u) => run(() => Utils.compressWebUri(u, true, false))),
    compressPlain: (job.compress || []).map((u) => run(() => Utils.compressWebUri(u, false, false))),
    decompress: (job.decompress || []).map((u) => run(() => Utils.decompressWebUri(u, false))),
    valid: (job.valid || []).map((u) => run(() => DigitalLink(u).isValid())),
  }));
});
