'use strict';
// Stands in for multer (see package.json): @nestjs/platform-express imports it at load time, and
// only its FileInterceptor family would call it. Townhall accepts no multipart bodies, so calling it
// is a programming error, reported as one.
function refuse() {
  throw new Error('multipart/form-data is not accepted by Townhall: multer is replaced by @townhall/no-multipart (see the root package.json overrides)');
}
function multer() {
  return refuse();
}
multer.diskStorage = refuse;
multer.memoryStorage = refuse;
module.exports = multer;
