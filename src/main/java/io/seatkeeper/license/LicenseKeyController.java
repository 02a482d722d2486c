package io.seatkeeper.license;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Applying a licence key on the License page: paste or upload, preview, confirm.
 */
@Controller
class LicenseKeyController {

	private final LicenseKeys keys;

	LicenseKeyController(LicenseKeys keys) {
		this.keys = keys;
	}

	@PostMapping("/admin/system/license/key/preview")
	String previewKey(@RequestParam(name = "key", required = false) String pasted,
			@RequestParam(name = "file", required = false) MultipartFile file, Principal principal, Model model,
			RedirectAttributes redirect) {
		String token = pasted;
		if (file != null && !file.isEmpty()) {
			if (file.getSize() > LicenseKeyCodec.MAX_LENGTH * 2L) {
				return refused(new LicenseKeyRefused(LicenseKeyRefused.Reason.MALFORMED, "the file is too large"), null,
						principal, redirect);
			}
			try {
				token = new String(file.getBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				token = "";
			}
		}
		try {
			model.addAttribute("preview", this.keys.preview(token));
			model.addAttribute("token", token.strip());
			return "license/key-preview";
		}
		catch (LicenseKeyRefused refusal) {
			return refused(refusal, token, principal, redirect);
		}
	}

	@PostMapping("/admin/system/license/key")
	String applyKey(@RequestParam(name = "key", required = false) String token, Principal principal,
			RedirectAttributes redirect) {
		try {
			LicenseKeys.KeyPreview applied = this.keys.apply((token != null) ? token : "", principal.getName());
			redirect.addFlashAttribute("success", "license.key.applied");
			redirect.addFlashAttribute("successArgs", new Object[] { String.valueOf(applied.key().serial()),
					applied.key().maxUsers(), applied.key().maxExtranetUsers() });
		}
		catch (LicenseKeyRefused refusal) {
			return refused(refusal, token, principal, redirect);
		}
		return "redirect:/admin/system/license";
	}

	private String refused(LicenseKeyRefused refusal, String token, Principal principal, RedirectAttributes redirect) {
		this.keys.recordRefusal(refusal, token, principal.getName());
		redirect.addFlashAttribute("failure", refusal.code());
		redirect.addFlashAttribute("failureArgs", new Object[] { refusal.detail() });
		return "redirect:/admin/system/license";
	}

}
