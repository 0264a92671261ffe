import type { PrismaClient } from '../generated/prisma/client.ts';
import { demoCouncil, demoDistricts, demoElectors } from './demo-roll.ts';

export interface SeedResult {
  councilCreated: boolean;
  electorsCreated: number;
}

/**
 * Creates the demo council, its wards and roll when they are missing; running it again changes
 * nothing (upserts and skip-duplicates), so every start may call it.
 */
export async function seedDemo(prisma: PrismaClient): Promise<SeedResult> {
  return prisma.$transaction(async (tx) => {
    const existing = await tx.council.findUnique({ where: { slug: demoCouncil.slug } });
    const council = existing ?? (await tx.council.create({ data: demoCouncil }));
    const districtIds = new Map<string, string>();
    for (const district of demoDistricts) {
      const row = await tx.district.upsert({
        where: { councilId_code: { councilId: council.id, code: district.code } },
        create: { councilId: council.id, ...district },
        update: {},
      });
      districtIds.set(district.code, row.id);
    }
    const created = await tx.elector.createMany({
      skipDuplicates: true,
      data: demoElectors.map(([electorNumber, districtCode, givenName, familyName, addressLine, postcode, dateOfBirth]) => ({
        councilId: council.id,
        districtId: districtIds.get(districtCode)!,
        electorNumber,
        givenName,
        familyName,
        addressLine,
        postcode,
        dateOfBirth: new Date(`${dateOfBirth}T00:00:00Z`),
      })),
    });
    return { councilCreated: !existing, electorsCreated: created.count };
  });
}
