'use strict';
/**
 * Which parts of the node binary a process has resident: its mappings of the file
 * (/proc/<pid>/maps), the present bit of each page (/proc/<pid>/pagemap, readable for our own
 * children), and the binary's ELF sections and a few symbols (ICU's data, V8's embedded
 * builtins), read from the file itself. Linux, 64-bit little-endian ELF (x86-64 and arm64).
 */
const fs = require('node:fs');

const PAGE = 4096;

/**
 * Sections {name, addr, offset, size} and symbols {value, size, offset, u32} by name (those
 * `wanted` says) of an ELF64 file; u32 is the 32-bit value stored at a *_size_ symbol.
 */
function readElf(file, wanted = () => false) {
  const fd = fs.openSync(file, 'r');
  try {
    const read = (offset, length) => {
      const b = Buffer.alloc(length);
      fs.readSync(fd, b, 0, length, offset);
      return b;
    };
    const h = read(0, 64);
    if (h.readUInt32BE(0) !== 0x7f454c46 || h[4] !== 2 || h[5] !== 1)
      throw new Error('not a 64-bit little-endian ELF file');
    const shoff = Number(h.readBigUInt64LE(0x28));
    const shentsize = h.readUInt16LE(0x3a);
    const shnum = h.readUInt16LE(0x3c);
    const shstrndx = h.readUInt16LE(0x3e);
    const table = read(shoff, shentsize * shnum);
    const raw = [];
    for (let i = 0; i < shnum; i++) {
      const o = i * shentsize;
      raw.push({
        nameOffset: table.readUInt32LE(o),
        type: table.readUInt32LE(o + 4),
        addr: Number(table.readBigUInt64LE(o + 16)),
        offset: Number(table.readBigUInt64LE(o + 24)),
        size: Number(table.readBigUInt64LE(o + 32)),
        link: table.readUInt32LE(o + 40),
      });
    }
    const cstr = (buf, at) => buf.toString('latin1', at, buf.indexOf(0, at));
    const shstr = read(raw[shstrndx].offset, raw[shstrndx].size);
    const sections = raw.map((s) => ({ ...s, name: cstr(shstr, s.nameOffset) }));
    const symbols = {};
    for (const symtab of sections.filter((s) => s.type === 2 || s.type === 11)) {
      // SHT_SYMTAB, SHT_DYNSYM: 24-byte entries, names in the linked string table
      const names = read(sections[symtab.link].offset, sections[symtab.link].size);
      const entries = read(symtab.offset, symtab.size);
      for (let o = 0; o + 24 <= entries.length; o += 24) {
        const name = cstr(names, entries.readUInt32LE(o));
        if (!name || !wanted(name)) continue;
        const shndx = entries.readUInt16LE(o + 6);
        const value = Number(entries.readBigUInt64LE(o + 8));
        const size = Number(entries.readBigUInt64LE(o + 16));
        const section = sections[shndx];
        const offset = section ? value - section.addr + section.offset : null;
        // A *_size_ symbol holds a 32-bit size (V8's embedded blob sizes): read it while the file is open.
        const u32 = name.endsWith('_size_') && offset !== null ? read(offset, 4).readUInt32LE(0) : null;
        symbols[name] = { value, size, offset, u32 };
      }
    }
    return { sections, symbols };
  } finally {
    fs.closeSync(fd);
  }
}

/** File offsets of the pages of `file` that process `pid` has resident. */
function residentOffsets(pid, file) {
  const maps = fs
    .readFileSync(`/proc/${pid}/maps`, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [range, , offset, , , ...rest] = line.split(/\s+/);
      const [start, end] = range.split('-').map((x) => BigInt(`0x${x}`));
      return { start, end, offset: Number(BigInt(`0x${offset}`)), path: rest.join(' ') };
    })
    .filter((m) => m.path === file);
  const fd = fs.openSync(`/proc/${pid}/pagemap`, 'r');
  const out = [];
  try {
    for (const m of maps) {
      const pages = Number((m.end - m.start) / BigInt(PAGE));
      const buf = Buffer.alloc(pages * 8);
      fs.readSync(fd, buf, 0, buf.length, Number((m.start / BigInt(PAGE)) * 8n));
      for (let i = 0; i < pages; i++) if (buf.readBigUInt64LE(i * 8) >> 63n) out.push(m.offset + i * PAGE);
    }
  } finally {
    fs.closeSync(fd);
  }
  return out;
}

/**
 * The resident part of the node binary `file` in process `pid`, in bytes, by part: ICU data,
 * V8's embedded builtins, the rest of .text (compiled C++: V8, node, OpenSSL, libuv, SQLite...),
 * the rest of .rodata, symbol tables for addons (.dynsym/.dynstr/.gnu.hash), other.
 */
function binaryResidency(pid, file) {
  const elf = readElf(file, (name) => /^icudt\d+_dat$/.test(name) || name.startsWith('v8_Default_embedded_blob_'));
  const ranges = [];
  const icu = Object.entries(elf.symbols).find(([n]) => n.startsWith('icudt'));
  if (icu) ranges.push({ part: 'ICU data (Intl)', from: icu[1].offset, to: icu[1].offset + icu[1].size });
  const blobCode = elf.symbols.v8_Default_embedded_blob_code_;
  const blobCodeSize = elf.symbols.v8_Default_embedded_blob_code_size_;
  if (blobCode?.offset != null && blobCodeSize?.offset != null) {
    ranges.push({ part: "V8's embedded builtins", from: blobCode.offset, to: blobCode.offset + blobCodeSize.u32 });
  }
  const blobData = elf.symbols.v8_Default_embedded_blob_data_;
  const blobDataSize = elf.symbols.v8_Default_embedded_blob_data_size_;
  if (blobData?.offset != null && blobDataSize?.offset != null) {
    ranges.push({ part: "V8's embedded builtins", from: blobData.offset, to: blobData.offset + blobDataSize.u32 });
  }
  const sectionPart = (name) => {
    if (name === '.text') return 'other code (.text: V8, node, OpenSSL, SQLite...)';
    if (name === '.rodata') return 'other read-only data (.rodata)';
    if (name === '.dynsym' || name === '.dynstr' || name === '.gnu.hash')
      return 'symbols for addons (.dynsym, .dynstr)';
    return 'other sections';
  };
  const alloc = elf.sections.filter((s) => s.size > 0 && s.type !== 8 && s.name); // not NOBITS
  const parts = {};
  let total = 0;
  for (const offset of residentOffsets(pid, file)) {
    const range = ranges.find((r) => offset >= r.from && offset < r.to);
    const section = range ? null : alloc.find((s) => offset >= s.offset && offset < s.offset + s.size);
    const part = range ? range.part : section ? sectionPart(section.name) : 'other sections';
    parts[part] = (parts[part] ?? 0) + PAGE;
    total += PAGE;
  }
  return { total, parts };
}

module.exports = { binaryResidency, readElf, residentOffsets };
