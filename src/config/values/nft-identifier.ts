// What keepalived-ts accepts as an nftables table name (global `nftables NAME`). keepalived talks
// to the kernel through libnftnl and takes any string; ours writes the name into the text of an
// `nft -f -` script, so it must be a plain nft identifier (nft(8): a letter or `_`, then letters,
// digits, `_`, `.`, `/` or `-`), never something nft would read as more script.
const NFT_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_.\/-]{0,63}$/;

export function isNftIdentifier(name: string): boolean {
  return NFT_IDENTIFIER.test(name);
}
