// "server-only" throws when bundled for the client; under jest (node) it is a no-op.
module.exports = {};
