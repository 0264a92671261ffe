/** The demo council's roll: invented people at invented addresses, for trying Townhall out. */
export const demoCouncil = { slug: 'demo', name: 'Demo Borough Council' };

export const demoDistricts = [
  { code: 'CAS', name: 'Castle' },
  { code: 'NGT', name: 'Northgate' },
  { code: 'RVS', name: 'Riverside' },
];

type DemoElector = [electorNumber: string, district: string, given: string, family: string, address: string, postcode: string, dateOfBirth: string];

export const demoElectors: DemoElector[] = [
  ['CAS-0001', 'CAS', 'Amira', 'Patel', '1 Keep Lane', 'DB1 1AA', '1984-03-12'],
  ['CAS-0002', 'CAS', 'Owen', 'Hughes', '3 Keep Lane', 'DB1 1AA', '1979-11-02'],
  ['CAS-0003', 'CAS', 'Grace', 'Okafor', '14 Moat Street', 'DB1 1AB', '1992-07-23'],
  ['CAS-0004', 'CAS', 'Tomasz', 'Nowak', '16 Moat Street', 'DB1 1AB', '1968-01-30'],
  // More Castle electors, so a whole-election e2e run has ten residents no other test claims.
  ['CAS-0005', 'CAS', 'Fatima', 'Begum', '5 Keep Lane', 'DB1 1AA', '1990-04-04'],
  ['CAS-0006', 'CAS', 'George', 'Lindqvist', '7 Keep Lane', 'DB1 1AA', '1958-09-21'],
  ['CAS-0007', 'CAS', 'Hana', 'Sato', '18 Moat Street', 'DB1 1AB', '1986-12-12'],
  ['CAS-0008', 'CAS', 'Ivan', 'Petrov', '20 Moat Street', 'DB1 1AB', '1975-03-03'],
  ['CAS-0009', 'CAS', 'Jade', 'Morgan', '22 Moat Street', 'DB1 1AB', '2000-07-07'],
  ['CAS-0010', 'CAS', 'Kofi', 'Boateng', '2 Tower Row', 'DB1 1AC', '1969-11-30'],
  ['CAS-0011', 'CAS', 'Lena', 'Fischer', '4 Tower Row', 'DB1 1AC', '1994-02-14'],
  ['NGT-0001', 'NGT', 'Eleanor', 'Price', '2 North Road', 'DB2 2BA', '1955-05-17'],
  ['NGT-0002', 'NGT', 'Yusuf', 'Rahman', '8 North Road', 'DB2 2BA', '2001-09-09'],
  ['NGT-0003', 'NGT', 'Siobhan', 'Kelly', '21 Gate Close', 'DB2 2BB', '1988-12-01'],
  ['NGT-0004', 'NGT', 'Daniel', 'Evans', '23 Gate Close', 'DB2 2BB', '1973-04-14'],
  ['NGT-0005', 'NGT', 'Priya', 'Shah', '25 Gate Close', 'DB2 2BB', '1990-01-08'],
  ['RVS-0001', 'RVS', 'Mei', 'Chen', '5 Quay Side', 'DB3 3CA', '1996-02-28'],
  ['RVS-0002', 'RVS', 'Kwame', 'Mensah', '7 Quay Side', 'DB3 3CA', '1981-08-06'],
  ['RVS-0003', 'RVS', 'Isla', 'Campbell', '40 Mill Walk', 'DB3 3CB', '1964-10-19'],
  ['RVS-0004', 'RVS', 'Luca', 'Romano', '42 Mill Walk', 'DB3 3CB', '2003-06-25'],
];
