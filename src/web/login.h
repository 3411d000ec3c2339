/* login.h - the sign-in page, which the home page also shows to anyone not signed in. */
#ifndef VETS_LOGIN_H
#define VETS_LOGIN_H

#include "web/route.h"

int handle_login_page(struct request *req, struct reply *rep);

#endif
