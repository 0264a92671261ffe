import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { Writable } from 'node:stream';
import { formatActivationCode } from '../identity/identity-keys.ts';

export interface PollCard {
  givenName: string;
  familyName: string;
  addressLine: string;
  postcode: string;
  electorNumber: string;
  districtName: string;
  activationCode: string;
}

const MM = 72 / 25.4;

/**
 * Writes poll-card letters (A4, one per page) to `out`: the elector's address block, their activation
 * code and a QR code of the enrolment link with the code in it. The QR code is drawn as vector
 * squares, so tens of thousands of letters stay small and fast.
 */
export async function writePollCards(out: Writable, cards: Iterable<PollCard>, context: { councilName: string; publicUrl: string }): Promise<void> {
  const doc = new PDFDocument({ size: 'A4', margin: 25 * MM, autoFirstPage: false, info: { Title: `${context.councilName}: poll cards`, Author: context.councilName } });
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('close', resolve);
    out.on('error', reject);
    doc.on('error', reject);
  });
  doc.pipe(out);
  let count = 0;
  for (const card of cards) {
    doc.addPage();
    const enrolUrl = `${context.publicUrl}/enrol?code=${card.activationCode}`;
    doc.font('Helvetica-Bold').fontSize(16).text(context.councilName);
    doc.moveDown(0.3).font('Helvetica').fontSize(11).fillColor('#505a5f').text(`Poll card · ${card.districtName} · elector ${card.electorNumber}`).fillColor('black');
    doc.moveDown(2).fontSize(12).text(`${card.givenName} ${card.familyName}`).text(card.addressLine).text(card.postcode);
    doc.moveDown(2).font('Helvetica-Bold').fontSize(14).text('Vote online: set up your account');
    doc.moveDown(0.5).font('Helvetica').fontSize(11).text(
      `Go to ${context.publicUrl}/enrol or scan the QR code. Enter the activation code below and your postcode or date of birth, then create a passkey on your phone or computer. The code works once; if you lose this letter, ask the council for a new one.`,
      { width: 160 * MM - 45 * MM },
    );
    const codeTop = doc.y + 12;
    doc.font('Courier-Bold').fontSize(22).text(formatActivationCode(card.activationCode), 25 * MM, codeTop);
    drawQr(doc, enrolUrl, 160 * MM, 70 * MM, 35 * MM);
    doc.font('Helvetica').fontSize(9).fillColor('#505a5f').text('Keep this letter private: the code lets someone create an account as you.', 25 * MM, 270 * MM).fillColor('black');
    // Let the output drain every so often so a large district streams instead of buffering.
    if (++count % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  if (count === 0) {
    doc.addPage().font('Helvetica').fontSize(12).text('No poll cards: every elector of this district has an account already.');
  }
  doc.end();
  await done;
}

function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const modules = qr.modules;
  const cell = size / (modules.size + 8);
  const origin = { x: x + 4 * cell, y: y + 4 * cell };
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) doc.rect(origin.x + col * cell, origin.y + row * cell, cell, cell);
    }
  }
  doc.fill('black');
}
