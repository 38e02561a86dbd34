# The identity service's page texts: the English text is the key. Run
#   python3 services/Identity/Resources/texts.py
# after editing, to write Text.resx and Text.{es,fr,ar}.resx.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "deploy", "tools"))
import resx  # noqa: E402

T = {
 "At least 12 characters. A sentence you can remember works well.": ("Al menos 12 caracteres. Una frase que puedas recordar funciona bien.", "Au moins 12 caractères. Une phrase dont vous vous souvenez fait l'affaire.", "12 حرفًا على الأقل. جملة يسهل تذكّرها خيار جيد."),
 "At least 12 characters.": ("Al menos 12 caracteres.", "Au moins 12 caractères.", "12 حرفًا على الأقل."),
 "Authenticator key": ("Clave del autenticador", "Clé de l'authentificateur", "مفتاح تطبيق المصادقة"),
 "Change password": ("Cambiar la contraseña", "Changer le mot de passe", "غيّر كلمة المرور"),
 "Change your password": ("Cambiar tu contraseña", "Changer votre mot de passe", "تغيير كلمة المرور"),
 "Choose a password, then add Protection to an authenticator app on your phone and enter the code it shows.": ("Elige una contraseña, añade Protection a una aplicación de autenticación en tu teléfono e introduce el código que muestra.", "Choisissez un mot de passe, ajoutez Protection à une application d'authentification sur votre téléphone et saisissez le code affiché.", "اختاري كلمة مرور، ثم أضيفي Protection إلى تطبيق مصادقة على هاتفك وأدخلي الرمز الذي يظهر."),
 "Code from your authenticator app": ("Código de tu aplicación de autenticación", "Code de votre application d'authentification", "الرمز من تطبيق المصادقة"),
 "Current password": ("Contraseña actual", "Mot de passe actuel", "كلمة المرور الحالية"),
 "It has expired or was used already. Ask your administrator for a new enrolment link.": ("Ha caducado o ya se usó. Pide a tu administradora un nuevo enlace de registro.", "Il a expiré ou a déjà servi. Demandez un nouveau lien d'inscription à votre administratrice.", "انتهت صلاحيته أو استُخدم من قبل. اطلبي رابط تسجيل جديدًا من المسؤولة."),
 "Keep these recovery codes somewhere safe, away from your phone. Each one signs you in once if you lose your authenticator. They are shown only now.": ("Guarda estos códigos de recuperación en un lugar seguro, lejos de tu teléfono. Cada uno te permite entrar una vez si pierdes tu autenticador. Solo se muestran ahora.", "Gardez ces codes de secours en lieu sûr, loin de votre téléphone. Chacun vous connecte une fois si vous perdez votre authentificateur. Ils ne sont affichés que maintenant.", "احفظي رموز الاسترداد هذه في مكان آمن بعيدًا عن هاتفك. كل رمز يتيح الدخول مرة واحدة إذا فقدتِ تطبيق المصادقة. لن تظهر مرة أخرى."),
 "New password": ("Nueva contraseña", "Nouveau mot de passe", "كلمة المرور الجديدة"),
 "Password": ("Contraseña", "Mot de passe", "كلمة المرور"),
 "QR code to scan with your authenticator app; the key below says the same": ("Código QR para escanear con tu aplicación de autenticación; la clave de abajo dice lo mismo", "Code QR à scanner avec votre application d'authentification ; la clé ci-dessous dit la même chose", "رمز QR للمسح بتطبيق المصادقة؛ المفتاح أدناه يحمل المعلومات نفسها"),
 "Recovery codes": ("Códigos de recuperación", "Codes de secours", "رموز الاسترداد"),
 "Set up my account": ("Configurar mi cuenta", "Configurer mon compte", "أعدّي حسابي"),
 "Set up your account": ("Configura tu cuenta", "Configurez votre compte", "إعداد حسابك"),
 "Sign in again": ("Volver a entrar", "Se reconnecter", "سجّلي الدخول مجددًا"),
 "Sign in to Protection": ("Entrar en Protection", "Se connecter à Protection", "تسجيل الدخول إلى Protection"),
 "Sign in": ("Entrar", "Se connecter", "تسجيل الدخول"),
 "Sign out": ("Cerrar sesión", "Se déconnecter", "تسجيل الخروج"),
 "Sign-in failed. Check your user name, password and code. After several failures the account is locked for a while.": ("No se pudo entrar. Revisa tu usuario, contraseña y código. Tras varios fallos la cuenta se bloquea un tiempo.", "La connexion a échoué. Vérifiez votre identifiant, votre mot de passe et le code. Après plusieurs échecs, le compte est bloqué un moment.", "تعذّر تسجيل الدخول. تحقّقي من اسم المستخدم وكلمة المرور والرمز. بعد عدة محاولات فاشلة يُقفل الحساب لبعض الوقت."),
 "Signed out": ("Sesión cerrada", "Déconnectée", "تم تسجيل الخروج"),
 "Six digits, or one of your recovery codes.": ("Seis dígitos, o uno de tus códigos de recuperación.", "Six chiffres, ou l'un de vos codes de secours.", "ستة أرقام، أو أحد رموز الاسترداد."),
 "Skip to the form": ("Saltar al formulario", "Aller au formulaire", "انتقلي إلى النموذج"),
 "The account was not set up:": ("La cuenta no se configuró:", "Le compte n'a pas été configuré :", "لم يُعَدّ الحساب:"),
 "The same password again": ("La misma contraseña otra vez", "Le même mot de passe à nouveau", "كلمة المرور نفسها مرة أخرى"),
 "This link cannot be used": ("Este enlace no se puede usar", "Ce lien ne peut pas être utilisé", "لا يمكن استخدام هذا الرابط"),
 "Type this key into your authenticator app (time-based), or open this link on the phone:": ("Escribe esta clave en tu aplicación de autenticación (basada en tiempo), o abre este enlace en el teléfono:", "Saisissez cette clé dans votre application d'authentification (basée sur le temps), ou ouvrez ce lien sur le téléphone :", "أدخلي هذا المفتاح في تطبيق المصادقة (المعتمد على الوقت)، أو افتحي هذا الرابط على الهاتف:"),
 "User name or e-mail": ("Usuario o correo electrónico", "Identifiant ou courriel", "اسم المستخدم أو البريد الإلكتروني"),
 "You are signed in as": ("Has entrado como", "Vous êtes connectée en tant que", "أنتِ مسجّلة الدخول باسم"),
 "You are signed out": ("Has cerrado sesión", "Vous êtes déconnectée", "لقد سجّلتِ الخروج"),
 "Your account is ready": ("Tu cuenta está lista", "Votre compte est prêt", "حسابك جاهز"),
 "Your account": ("Tu cuenta", "Votre compte", "حسابك"),
 "Your password was changed.": ("Se cambió tu contraseña.", "Votre mot de passe a été changé.", "تم تغيير كلمة المرور."),
 "add to authenticator": ("añadir al autenticador", "ajouter à l'authentificateur", "أضيفي إلى تطبيق المصادقة"),
}

resx.write(os.path.dirname(os.path.abspath(__file__)), {key: (key, *others) for key, others in T.items()})
