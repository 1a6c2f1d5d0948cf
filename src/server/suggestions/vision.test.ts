import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerText, hintsText, instructions } from './vision.ts';

describe('the vision model’s words', () => {
  it('takes the answer as alt text: quotes and an "Alt text:" label dropped, spacing tidied', () => {
    expect(answerText('  “Barista pouring\nlatte art”  ')).toEqual({ text: 'Barista pouring latte art', decorative: false });
    expect(answerText('Alt text: A red bicycle')).toEqual({ text: 'A red bicycle', decorative: false });
    expect(answerText('DECORATIVE.')).toEqual({ text: null, decorative: true });
  });

  it('refuses what is not alt text: nothing, too long, control characters, a lone surrogate', () => {
    expect(answerText(null)).toBeNull();
    expect(answerText('   ')).toBeNull();
    expect(answerText('x'.repeat(251))).toBeNull();
    expect(answerText('A cup\u0007')).toBeNull();
    expect(answerText('A cup \uD800')).toBeNull();
    expect(answerText('A cup ☕ 😀')).toEqual({ text: 'A cup ☕ 😀', decorative: false });
  });

  it('asks in the named language along the W3C decision tree, and gives the other sources as hints', () => {
    const text = instructions({ name: 'German', tag: 'de' });
    expect(text).toContain('in German (de)');
    expect(text).toMatch(/decorative[\s\S]*contains text[\s\S]*link or a button[\s\S]*describe/);
    expect(hintsText([])).toBe('Write the alt text for this image.');
    expect(hintsText([{ source: 'ocr', text: 'SUMMER SALE' }])).toContain('- Text read in the image: SUMMER SALE');
  });

  it('never offers an answer that is empty, long, or carries control characters or lone surrogates, whatever the endpoint sends', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 300 })), (content) => {
        const reading = answerText(content);
        if (reading === null || reading.decorative) return;
        expect(reading.text.length).toBeGreaterThan(0);
        expect(reading.text.length).toBeLessThanOrEqual(250);
        // eslint-disable-next-line no-control-regex
        expect(/[\u0000-\u001f\u007f]/.test(reading.text)).toBe(false);
        expect(/[\uD800-\uDFFF]/.test(reading.text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))).toBe(false);
      }),
    );
  });
});
