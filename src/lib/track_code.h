/* track_code.h - the codes a visitor follows a case by on the portal's 进度查询 (an
 * application's receipt, a 区长信箱 message): 16 characters of Crockford base32, 80 bits from
 * the CSPRNG, so that a code can't be guessed from another. Pure. */
#ifndef VETS_TRACK_CODE_H
#define VETS_TRACK_CODE_H

/* A code's length as stored: "XXXX-XXXX-XXXX-XXXX". */
#define TRACK_CODE_LEN 19

/* A new code into out[20]. */
void track_code_new(char out[TRACK_CODE_LEN + 1]);
/* A code as typed (any case, spaces or dashes anywhere, O for 0, I/L for 1) normalised to
 * its stored form into out[20]: 0, or -1 when it cannot be one. */
int track_code_normalize(const char *in, char out[TRACK_CODE_LEN + 1]);

#endif
