/**
 * firstInvalidUtf8 against RFC 3629's table of well-formed byte sequences
 * (section 4): the offset of the first byte that breaks it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstInvalidUtf8 } from '../../src/numeric/index.js';

const at = (...bytes: number[]) => firstInvalidUtf8(Uint8Array.from(bytes));

describe('firstInvalidUtf8', () => {
  it('accepts ASCII, and 2-, 3- and 4-byte sequences (é, €, 𝄞), as Buffer encodes them', () => {
    assert.equal(firstInvalidUtf8(Buffer.from('plain ASCII, é, €, 𝄞 and U+10FFFF \u{10FFFF}', 'utf8')), -1);
    assert.equal(at(), -1);
  });

  it('gives the offset of a byte that starts nothing (0xFF, 0xC0, 0xC1, 0xF5) or a lone continuation byte', () => {
    assert.equal(at(0x61, 0xff), 1);
    assert.equal(at(0xc0, 0x80), 0); // overlong "/"
    assert.equal(at(0x61, 0x62, 0xc1, 0xbf), 2);
    assert.equal(at(0xf5, 0x80, 0x80, 0x80), 0);
    assert.equal(at(0x80), 0);
  });

  it('refuses sequences cut short, overlong 3- and 4-byte forms, surrogates and code points past U+10FFFF', () => {
    assert.equal(at(0xc3, 0x28), 0); // 0xC3 then "(": the example of the corpus
    assert.equal(at(0x61, 0xe2, 0x82), 1); // € cut short at the end
    assert.equal(at(0xe0, 0x80, 0x80), 0); // overlong
    assert.equal(at(0xed, 0xa0, 0x80), 0); // U+D800, a surrogate
    assert.equal(at(0xf0, 0x80, 0x80, 0x80), 0); // overlong
    assert.equal(at(0xf4, 0x90, 0x80, 0x80), 0); // U+110000
    assert.equal(at(0xf4, 0x8f, 0xbf, 0xbf), -1); // U+10FFFF, the last code point
  });
});
