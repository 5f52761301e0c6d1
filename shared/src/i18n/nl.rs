//! Nederlands, in the words of Microsoft's Dutch admin center where it has
//! them ("Wachtwoord opnieuw instellen", "beheerder", "aanmelden") and in
//! the u-vorm throughout.

use super::{EmailTexts, ErrorTexts, Messages};

pub static MESSAGES: Messages = Messages {
    name: "Nederlands",
    errors: ErrorTexts {
        invalid_json: "De aanvraag is geen geldige JSON.",
        invalid_request: "De aanvraag is niet geldig.",
        invalid_cursor: "Deze paginakoppeling is niet geldig. Begin opnieuw bij de eerste pagina.",
        payload_too_large: "De aanvraag is te groot.",
        unsupported_media_type: "De aanvraag is verzonden in een indeling die Rekey niet accepteert.",
        origin_mismatch: "Deze aanvraag kwam niet van de eigen pagina's van Rekey en is daarom geweigerd.",
        unauthenticated: "Uw sessie is beëindigd. Meld u opnieuw aan.",
        forbidden: "U bent niet gemachtigd om dit te doen.",
        cannot_reset_self: "U kunt uw eigen wachtwoord hier niet opnieuw instellen. Gebruik in plaats daarvan Wachtwoord wijzigen.",
        not_found: "Dit is niet gevonden.",
        method_not_allowed: "Deze actie is hier niet beschikbaar.",
        invalid_credentials: "De gebruikersnaam en het wachtwoord komen niet overeen. Controleer ze en probeer het opnieuw.",
        account_locked: "Dit account is vergrendeld na te veel mislukte aanmeldpogingen. Probeer het later opnieuw of vraag een beheerder om het wachtwoord opnieuw in te stellen.",
        password_too_short: "Het wachtwoord is te kort.",
        password_too_long: "Het wachtwoord is te lang.",
        password_too_common: "Dit wachtwoord komt te vaak voor of is te makkelijk te raden.",
        password_contains_personal_info: "Het wachtwoord mag niet de naam, de gebruikersnaam of het e-mailadres van de gebruiker bevatten.",
        password_reused: "Kies een nieuw wachtwoord, niet het wachtwoord dat u nu hebt.",
        current_password_incorrect: "Uw huidige wachtwoord is niet juist.",
        password_change_required: "Wijzig uw wachtwoord voordat u verdergaat.",
        temporary_password_expired: "Uw tijdelijke wachtwoord is verlopen. Vraag uw beheerder om een nieuw wachtwoord.",
        invalid_recipient: "Dit is geen geldig e-mailadres.",
        too_many_recipients: "Verzend naar maximaal 5 geadresseerden.",
        too_many_users: "Stel voor maximaal 1.000 gebruikers tegelijk het wachtwoord opnieuw in.",
        conflict: "Dit is op hetzelfde moment door iemand anders gewijzigd. Er is niets gewijzigd. Probeer het opnieuw.",
        internal: "Er is aan onze kant iets misgegaan. Er is niets gewijzigd. Probeer het opnieuw.",
        unavailable: "Rekey is op dit moment niet beschikbaar. Probeer het zo meteen opnieuw.",
    },
    emails: EmailTexts {
        hello: "Hallo,",
        hello_name: |name| format!("Hallo {name},"),
        reset_subject: |name, username| format!("Nieuw wachtwoord voor {name} ({username})"),
        reset_intro: |admin, admin_username, user, username, org, when| {
            format!("{admin} ({admin_username}) heeft op {when} het wachtwoord van {user} ({username}) bij {org} opnieuw ingesteld.")
        },
        username: "Gebruikersnaam",
        temporary_password: "Tijdelijk wachtwoord",
        must_change: "Het wachtwoord moet bij de eerste aanmelding worden gewijzigd.",
        no_change: "Het wachtwoord hoeft bij het aanmelden niet te worden gewijzigd.",
        expires: |when| {
            format!("Het tijdelijke wachtwoord werkt tot {when}. Vraag daarna een beheerder om een nieuw wachtwoord.")
        },
        sign_in_at: |url| format!("Meld u aan op {url}"),
        sign_in_to: |org| format!("Aanmelden bij {org}"),
        not_expected: "Verwachtte u deze e-mail niet? Laat het dan uw beheerder weten.",
        signature: |org| format!("Rekey voor {org}"),
        notice_subject: |org| format!("Uw wachtwoord voor {org} is gewijzigd"),
        notice_reset_by: |username, admin, admin_username, when| {
            format!("Het wachtwoord van uw account {username} is op {when} opnieuw ingesteld door {admin} ({admin_username}).")
        },
        notice_changed: |username, when| {
            format!("Het wachtwoord van uw account {username} is op {when} gewijzigd.")
        },
        notice_fine: "Als u dit zelf was, of uw beheerder op uw verzoek, hoeft u niets te doen.",
        notice_warn: "Verwachtte u dit niet? Laat het uw beheerder dan meteen weten: misschien gebruikt iemand anders uw account.",
        sign_in: "Aanmelden",
        request_subject: |name| format!("{name} heeft een nieuw wachtwoord aangevraagd"),
        request_asked: |name, username, when| {
            format!("{name} ({username}) heeft op {when} een nieuw wachtwoord aangevraagd.")
        },
        request_reset_here: |link| format!("Stel het hier opnieuw in: {link}"),
        request_open_pane: |name| format!("Wachtwoord opnieuw instellen voor {name}"),
        request_ignore: "Weet u niets van deze aanvraag? Dan kunt u deze negeren: er verandert niets totdat een beheerder het wachtwoord opnieuw instelt.",
    },
};
